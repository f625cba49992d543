import Data
import NN
import Testing

/// Renders one sprite to bytes (H, W).
private func render(_ f: SpriteFactors, size: Int = 64) -> [UInt8] {
    var image = [UInt8](repeating: 7, count: size * size)
    image.withUnsafeMutableBufferPointer { SpritesRenderer.render(f, size: size, into: $0) }
    return image
}

/// Centre of mass (column, row) of the on pixels, and their number.
private func centreOfMass(_ image: [UInt8], size: Int) -> (x: Double, y: Double, on: Int) {
    var sx = 0.0, sy = 0.0, n = 0
    for r in 0..<size { for c in 0..<size where image[r * size + c] != 0 { sx += Double(c); sy += Double(r); n += 1 } }
    return (sx / Double(max(n, 1)), sy / Double(max(n, 1)), n)
}

@Suite struct SpriteFactorsTests {
    @Test func decodingInvertsEncoding() {
        var stream = RandomStream(seed: 5, purpose: "test")
        for index in [0, 1, 31, 32, 1023, 1024, 40_959, 40_960, 245_759, 245_760, 737_279]
            + (0..<2000).map({ _ in stream.nextInt(below: 737_280) })
        {
            #expect(SpriteFactors(factorIndex: index).factorIndex == index)
        }
        let f = SpriteFactors(shape: .heart, scaleLevel: 4, orientationLevel: 17, posXLevel: 3, posYLevel: 30)
        #expect(SpriteFactors(factorIndex: f.factorIndex) == f)
        #expect(f.factorIndex == (((2 * 6 + 4) * 40 + 17) * 32 + 3) * 32 + 30)
        #expect(f.levels == [2, 4, 17, 3, 30])
    }

    @Test func realValues() {
        let lo = SpriteFactors(factorIndex: 0)
        let hi = SpriteFactors(factorIndex: SpriteFactors.combinationCount - 1)
        #expect(lo.shape == .square && lo.scale == 0.5 && lo.orientation == 0 && lo.posX == 0 && lo.posY == 0)
        #expect(hi.shape == .heart && hi.scale == 1 && hi.posX == 1 && hi.posY == 1)
        #expect(abs(hi.orientation - Float(2 * Double.pi * 39 / 40)) < 1e-6)
        #expect(SpriteFactors.levelCounts.reduce(1, *) == SpriteFactors.combinationCount)
    }
}

@Suite struct SpritesRendererTests {
    @Test(arguments: [8, 32, 64, 100])
    func pixelsAreBinaryAndEverythingIsOverwritten(size: Int) {
        for index in stride(from: 0, to: 737_280, by: 7919) {
            let image = render(SpriteFactors(factorIndex: index), size: size)
            #expect(image.allSatisfy { $0 == 0 || $0 == 255 }, "factor index \(index)")
        }
    }

    @Test func spritesStayInsideTheImage() {
        // The largest sprite at the extreme positions, at every orientation: no on pixel on the border.
        for shape in SpriteShape.allCases {
            for o in 0..<40 {
                for (px, py) in [(0, 0), (31, 31), (0, 31), (31, 0)] {
                    let f = SpriteFactors(shape: shape, scaleLevel: 5, orientationLevel: o, posXLevel: px, posYLevel: py)
                    let image = render(f)
                    var borderOn = 0
                    for i in 0..<64 {
                        let top: Int = Int(image[i]), bottom: Int = Int(image[63 * 64 + i])
                        let left: Int = Int(image[i * 64]), right: Int = Int(image[i * 64 + 63])
                        borderOn += top + bottom + left + right
                    }
                    #expect(borderOn == 0, "\(f)")
                    #expect(image.contains(255), "\(f)")
                }
            }
        }
    }

    @Test(arguments: SpriteShape.allCases)
    func biggerScaleCoversMorePixels(shape: SpriteShape) {
        var previous = 0
        for s in 0..<6 {
            let on = centreOfMass(render(SpriteFactors(shape: shape, scaleLevel: s, orientationLevel: 3, posXLevel: 16, posYLevel: 16)), size: 64).on
            #expect(on > previous, "scale level \(s): \(on) pixels, \(previous) at the level below")
            previous = on
        }
        // Area grows like scale²: (1.0 / 0.5)² = 4, within pixelation error.
        let small = centreOfMass(render(SpriteFactors(shape: shape, scaleLevel: 0, orientationLevel: 0, posXLevel: 16, posYLevel: 16)), size: 64).on
        let ratio = Double(previous) / Double(small)
        #expect(ratio > 3.3 && ratio < 4.8, "area ratio \(ratio)")
    }

    @Test(arguments: SpriteShape.allCases)
    func positionMovesTheCentreOfMass(shape: SpriteShape) {
        var lastX = -1.0, lastY = -1.0
        for p in stride(from: 0, to: 32, by: 4) {
            let cx = centreOfMass(render(SpriteFactors(shape: shape, scaleLevel: 2, orientationLevel: 0, posXLevel: p, posYLevel: 10)), size: 64)
            let cy = centreOfMass(render(SpriteFactors(shape: shape, scaleLevel: 2, orientationLevel: 0, posXLevel: 10, posYLevel: p)), size: 64)
            #expect(cx.x > lastX, "posX level \(p) moves right")
            #expect(cy.y > lastY, "posY level \(p) moves down")
            lastX = cx.x; lastY = cy.y
        }
        // The centre of mass of a symmetric square sits at its nominal centre.
        let f = SpriteFactors(shape: .square, scaleLevel: 5, orientationLevel: 0, posXLevel: 31, posYLevel: 0)
        let c = centreOfMass(render(f), size: 64)
        let margin = Double(SpritesRenderer.margin)
        #expect(abs((c.x + 0.5) / 64 - (1 - margin)) < 0.02 && abs((c.y + 0.5) / 64 - margin) < 0.02)
    }

    @Test func shapesDiffer() {
        let images = SpriteShape.allCases.map { render(SpriteFactors(shape: $0, scaleLevel: 5, orientationLevel: 0, posXLevel: 16, posYLevel: 16)) }
        for i in 0..<3 { for j in (i + 1)..<3 {
            let differing = zip(images[i], images[j]).filter { $0 != $1 }.count
            #expect(differing > 40, "shapes \(i) and \(j) differ in \(differing) pixels")
        } }
        // The heart is upright: its widest row lies above the centre, and the dip between the lobes
        // puts the top of the centre column below the top of the lobes.
        let heart = images[2]
        let widths = (0..<64).map { r in (0..<64).filter { heart[r * 64 + $0] != 0 }.count }
        let widest = widths.firstIndex(of: widths.max()!)!
        #expect(widest < 31, "widest row \(widest)")
        let top = widths.firstIndex { $0 > 0 }!
        let centreTop = (0..<64).first { heart[$0 * 64 + 31] != 0 }!
        #expect(centreTop > top, "centre column starts at row \(centreTop), lobes at \(top)")
    }

    @Test func orientationRotates() {
        // An ellipse at 0 is wide; at a quarter turn (level 10) it is tall.
        let wide = render(SpriteFactors(shape: .ellipse, scaleLevel: 5, orientationLevel: 0, posXLevel: 16, posYLevel: 16))
        let tall = render(SpriteFactors(shape: .ellipse, scaleLevel: 5, orientationLevel: 10, posXLevel: 16, posYLevel: 16))
        func extent(_ image: [UInt8]) -> (w: Int, h: Int) {
            let on = (0..<4096).filter { image[$0] != 0 }
            let cols = on.map { $0 % 64 }, rows = on.map { $0 / 64 }
            return (cols.max()! - cols.min()!, rows.max()! - rows.min()!)
        }
        #expect(extent(wide).w > extent(wide).h + 5)
        #expect(extent(tall).h > extent(tall).w + 5)
    }
}

@Suite struct SpritesDatasetTests {
    @Test func deterministicForASeed() throws {
        let a = try DataSplits.load(.sprites(size: 32, trainSize: 300, testSize: 50, seed: 11))
        let b = try DataSplits.load(.sprites(size: 32, trainSize: 300, testSize: 50, seed: 11))
        let c = try DataSplits.load(.sprites(size: 32, trainSize: 300, testSize: 50, seed: 12))
        let (ta, tb, tc) = try (#require(a.train as? SpritesDataset), #require(b.train as? SpritesDataset), #require(c.train as? SpritesDataset))
        #expect(ta.images.pixels == tb.images.pixels)
        #expect(ta.factorIndices == tb.factorIndices)
        #expect(ta.factorIndices != tc.factorIndices)
        #expect(ta.exampleShape == [1, 32, 32] && ta.count == 300 && a.test.count == 50)
    }

    @Test func indicesAreDistinctAcrossSplits() throws {
        let splits = try DataSplits.load(.sprites(size: 16, trainSize: 5000, testSize: 1000, seed: 3))
        let train = try #require(splits.train as? SpritesDataset), test = try #require(splits.test as? SpritesDataset)
        let all = train.factorIndices + test.factorIndices
        #expect(Set(all).count == 6000)
        #expect(all.allSatisfy { $0 >= 0 && $0 < SpriteFactors.combinationCount })
        // Uniform over shapes, roughly.
        let hearts = train.labels!.filter { $0 == 2 }.count
        #expect(hearts > 1500 && hearts < 1850)
    }

    @Test func imagesAndLabelsMatchTheirFactors() throws {
        let set = SpritesDataset(factorIndices: [0, 300_000, 737_279], size: 24)
        #expect(set.labels == [0, 1, 2])
        for i in 0..<3 {
            var expected = [UInt8](repeating: 0, count: 24 * 24)
            expected.withUnsafeMutableBufferPointer { SpritesRenderer.render(factorIndex: set.factorIndices[i], size: 24, into: $0) }
            #expect(Array(set.images.bytes(of: i)) == expected)
            #expect(set.factors(of: i) == SpriteFactors(factorIndex: set.factorIndices[i]))
        }
    }

    @Test func drawingAllCombinationsGivesEachOnce() {
        var stream = RandomStream(seed: 1, purpose: "data.sprites")
        let all = SpritesDataset.distinctFactorIndices(count: SpriteFactors.combinationCount, stream: &stream)
        #expect(all.sorted() == Array(0..<SpriteFactors.combinationCount))
    }

    @Test func invalidParametersThrow() {
        #expect(throws: DataError.self) { try DataSplits.load(.sprites(size: 4, trainSize: 10, testSize: 10, seed: 0)) }
        #expect(throws: DataError.self) { try DataSplits.load(.sprites(size: 32, trainSize: 0, testSize: 10, seed: 0)) }
        #expect(throws: DataError.self) { try DataSplits.load(.sprites(size: 32, trainSize: 737_280, testSize: 1, seed: 0)) }
    }
}
