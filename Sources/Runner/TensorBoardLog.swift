import Foundation
import Formats
import Report
import RunStore
import Spec

/// A run's TensorBoard event file (`RunFolder.tensorboard`), written while it trains: for every
/// `metrics.jsonl` line, one scalar event per number in it (tagged with its key, at the line's
/// `step`; `step` and `epoch_step` themselves are not scalars), and at each epoch end, after that
/// epoch's scalars, the progress images (`RunFigures.progressImages`).
///
/// Deterministic, like every other file of a run: the wall time of each event is 0 (TensorBoard's
/// default Step axis is unaffected; its Relative and Wall axes show nothing useful), so the same
/// run gives the same bytes with any `--jobs`, shard or resume. A resumed run's file is rebuilt
/// from the metrics lines its checkpoint vouches for, keeping the image events of the epochs the
/// checkpoint has finished from the old file: what a killed run wrote past its checkpoint is
/// dropped, as it is from `metrics.jsonl`.
final class TensorBoardLog {
    let path: String
    private let handle: FileHandle

    /// Starts the file for a run continuing from `lines` with `epochsDone` finished epochs (none
    /// for a new run), written whole to a temporary file and renamed over any old one.
    init(path: String, lines: [String], epochsDone: Int) throws {
        self.path = path
        let old = FileManager.default.contents(atPath: path).map { TensorBoardEvents.records(in: [UInt8]($0)) } ?? []
        // The image events of each finished epoch, in order: consecutive image records, a group per epoch end.
        var groups: [[[UInt8]]] = []
        var previousWasImage = false
        for record in old {
            let image = TensorBoardEvents.isImage(record.data)
            if image { if previousWasImage { groups[groups.count - 1].append(record.data) } else { groups.append([record.data]) } }
            previousWasImage = image
        }
        var bytes = Self.record(.init(wallTime: 0, step: 0, payload: .fileVersion(TensorBoardEvents.fileVersion)))
        var epochEnds = 0
        for line in lines {
            for event in try Self.scalars(of: line) { bytes += Self.record(event) }
            if !(try Self.isInsideEpoch(line)) {
                if epochEnds < min(epochsDone, groups.count) {
                    for data in groups[epochEnds] { bytes += TensorBoardEvents.record(data) }
                }
                epochEnds += 1
            }
        }
        try AtomicFile.write(bytes, to: path)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        try handle.seekToEnd()
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The scalar events of one metrics line.
    func append(line: String) throws {
        try write(try Self.scalars(of: line).flatMap(Self.record))
    }

    /// One image event per picture, at `step`.
    func append(images: [(tag: String, image: PixelImage)], step: Int) throws {
        var bytes: [UInt8] = []
        for (tag, image) in images {
            let payload = TensorBoardEvents.Payload.image(tag: tag, png: try PNGCodec.encode(image), width: image.width,
                                                          height: image.height, channels: image.channels)
            bytes += Self.record(.init(wallTime: 0, step: Int64(step), payload: payload))
        }
        try write(bytes)
    }

    private func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try handle.write(contentsOf: Foundation.Data(bytes))
    }

    private static func record(_ event: TensorBoardEvents.Event) -> [UInt8] { TensorBoardEvents.record(event.encoded) }

    private static func object(_ line: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(line, file: "metrics.jsonl") else { return JSONObject() }
        return object
    }

    /// Lines written inside an epoch have `epoch_step`; an epoch's last line does not.
    private static func isInsideEpoch(_ line: String) throws -> Bool { try object(line)["epoch_step"] != nil }

    static func scalars(of line: String) throws -> [TensorBoardEvents.Event] {
        let object = try object(line)
        let step = object["step"]?.numberValue.map { Int64($0) } ?? 0
        return object.compactMap { member in
            guard member.key != "step", member.key != "epoch_step", let value = member.value.numberValue else { return nil }
            return .init(wallTime: 0, step: step, payload: .scalar(tag: member.key, value: Float(value)))
        }
    }
}
