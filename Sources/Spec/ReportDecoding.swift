/// The `report` section: which image grids a run writes.
extension SpecDecoder {
    func decodeReport(_ value: JSONValue, at path: JSONPath) throws -> ReportSpec {
        let reader = try ObjectReader(value, at: path, self)
        try reader.rejectUnknownKeys(["grids"], in: "report")
        let grids = try reader.member("grids", absent: ReportSpec().grids) { value, path in
            let grids = try readArray(value, at: path, expected: "an array of grid names") {
                try read($0, at: $1, Rules.oneOf(GridKind.self))
            }
            for (index, grid) in grids.enumerated() where grids[..<index].contains(grid) {
                throw error(path.index(index), expected: "a grid not listed before",
                            found: JSONValue.string(grid.rawValue).summary)
            }
            return grids
        }
        return ReportSpec(grids: grids)
    }
}

extension ReportSpec {
    var resolvedJSON: JSONValue {
        ["grids": .array(grids.map { .string($0.rawValue) })]
    }
}
