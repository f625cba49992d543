import Data
import Testing

@Suite struct ByteImageDatasetTests {
    @Test func gatherScalesBytesToUnitInterval() {
        // Two 1×2×2 images.
        let set = ByteImageDataset(pixels: [0, 255, 128, 1, 255, 255, 0, 51], exampleShape: [1, 2, 2], labels: [4, 9])
        #expect(set.count == 2 && set.exampleSize == 4)
        var out = [Float](repeating: -1, count: 12)  // (3, 1, 2, 2)
        let indices = [1, 0, 1]
        indices.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { set.gather(i, into: $0.baseAddress!) } }
        #expect(out[0] == 1.0 && out[1] == 1.0 && out[2] == 0.0 && out[3] == Float(51) / 255)
        #expect(out[4] == 0.0 && out[5] == 1.0 && out[6] == Float(128) / 255 && out[7] == Float(1) / 255)
        #expect(Array(out[8..<12]) == Array(out[0..<4]))
        #expect(set.labels == [4, 9])
    }

    @Test func everyByteValueMapsMonotonically() {
        let set = ByteImageDataset(pixels: (0..<256).map { UInt8($0) }, exampleShape: [1, 16, 16], labels: nil)
        var out = [Float](repeating: -1, count: 256)
        [0].withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { set.gather(i, into: $0.baseAddress!) } }
        #expect(out.first == 0 && out.last == 1)
        #expect(zip(out, out.dropFirst()).allSatisfy { $0 < $1 })
        #expect(out.enumerated().allSatisfy { abs($1 - Float($0) / 255) <= 1e-7 })
    }
}
