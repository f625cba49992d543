import Foundation
import Testing
@testable import Data

/// The resize of `"dataset": "images"` against its definition: Pillow's crop and BILINEAR resize.
@Suite struct ImageResamplerTests {
    /// Byte for byte what Pillow gives for the same crop and resize, down and up, grey and colour,
    /// odd and even margins.
    @Test(arguments: [(100, 80, 3, 64), (37, 50, 1, 64), (300, 200, 3, 28), (20, 20, 1, 7), (65, 90, 3, 64),
                      (10, 13, 3, 64), (129, 128, 1, 32)])
    func matchesPillowBilinear(_ shape: (Int, Int, Int, Int)) throws {
        let (width, height, channels, size) = shape
        let folder = try freshFolder("resample-\(width)x\(height)x\(channels)-\(size)")
        let pixels = noiseBytes(width * height * channels, seed: UInt64(width * 1000 + height))
        try writePlain(pixels, to: folder + "/in.raw")
        let script = """
        import sys
        from PIL import Image
        w, h, c, size = map(int, sys.argv[2:6])
        data = open(sys.argv[1] + '/in.raw', 'rb').read()
        image = Image.frombytes('L' if c == 1 else 'RGB', (w, h), data)
        side = min(w, h); left = (w - side) // 2; top = (h - side) // 2
        out = image.crop((left, top, left + side, top + side)).resize((size, size), Image.BILINEAR)
        open(sys.argv[1] + '/out.raw', 'wb').write(out.tobytes())
        """
        _ = try python(script, [folder] + [width, height, channels, size].map(String.init))
        let ours = ImageResampler.squareResize(pixels, width: width, height: height, channels: channels, size: size)
        #expect(ours == fileBytes(folder + "/out.raw"))
    }

    @Test func aSquareOfTheRightSizeIsOnlyCropped() {
        let pixels = noiseBytes(6 * 4 * 3, seed: 1)
        let square = ImageResampler.squareResize(pixels, width: 6, height: 4, channels: 3, size: 4)
        // Columns 1…4 of each row: the centre square of a 6×4 image.
        var expected: [UInt8] = []
        for y in 0..<4 { expected += pixels[(y * 6 + 1) * 3 ..< (y * 6 + 5) * 3] }
        #expect(square == expected)
        #expect(ImageResampler.centreSquare(width: 7, height: 4) == (4, 1, 0))
    }

    /// Weights of a reduction by two are the triangle's, normalised: every output averages four
    /// inputs around its centre, and each set of weights sums to one in fixed point.
    @Test func weightsSumToOne() {
        for (inLength, outLength) in [(64, 32), (30, 64), (100, 7)] {
            for coefficient in ImageResampler.coefficients(inLength: inLength, outLength: outLength) {
                let total = coefficient.weights.reduce(0, +)
                #expect(abs(total - Int64(1) << ImageResampler.precisionBits) <= Int64(coefficient.weights.count))
            }
        }
    }
}
