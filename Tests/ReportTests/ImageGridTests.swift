import Report
import Testing

/// (N, C, H, W) floats where image n, channel c is filled with `value(n, c)`.
private func constantImages(count: Int, channels: Int, height: Int, width: Int,
                            value: (Int, Int) -> Float) -> [Float] {
    var floats = [Float]()
    for n in 0..<count {
        for c in 0..<channels {
            floats += [Float](repeating: value(n, c), count: height * width)
        }
    }
    return floats
}

@Suite struct ImageGridTests {
    @Test func geometryCountsCellsScaleAndSeparators() throws {
        // 5 images of 3×4 (H×W), 2 columns → 3 rows; scale 2, spacing 1, no outer border.
        let floats = constantImages(count: 5, channels: 1, height: 3, width: 4) { _, _ in 0 }
        let grid = try ImageGrid(columns: 2, spacing: 1, separatorColor: .gray(200), scale: 2)
            .compose(floats, count: 5, channels: 1, height: 3, width: 4)
        #expect(grid.width == 2 * 4 * 2 + 1 * 1)
        #expect(grid.height == 3 * 3 * 2 + 2 * 1)
        #expect(grid.channels == 1)

        #expect(grid[7, 0] == [0])                  // last column of cell (0, 0)
        #expect(grid[8, 0] == [200])                // vertical separator
        #expect(grid[9, 0] == [0])                  // first column of cell (0, 1)
        #expect(grid[0, 6] == [200])                // horizontal separator
        #expect(grid[8, 6] == [200])                // separators cross
        #expect(grid[9, 14] == [200])               // empty last cell (row 2, column 1)
        #expect(grid[16, 19] == [200])
        #expect(grid[0, 19] == [0])                 // image 4
    }

    @Test func defaultsAreOnePixelWhiteSeparatorAndNoScale() throws {
        let floats = constantImages(count: 2, channels: 1, height: 2, width: 2) { _, _ in 0 }
        let grid = try ImageGrid(columns: 2).compose(floats, count: 2, channels: 1, height: 2, width: 2)
        #expect(grid.width == 5 && grid.height == 2)
        #expect(grid.pixels == [0, 0, 255, 0, 0,
                                0, 0, 255, 0, 0])
    }

    @Test func cellsArePlacedInOrderWithExactValues() throws {
        // Image n is the constant n/255 · 40 → byte 40·n; a white image last.
        let floats = constantImages(count: 4, channels: 1, height: 2, width: 3) { n, _ in
            n == 3 ? 1 : Float(40 * n) / 255
        }
        let grid = try ImageGrid(columns: 3, spacing: 1, separatorColor: .black)
            .compose(floats, count: 4, channels: 1, height: 2, width: 3)
        #expect(grid[0, 0] == [0])
        #expect(grid[4, 1] == [40])
        #expect(grid[10, 0] == [80])
        #expect(grid[0, 3] == [255])   // the white image, row 1
        #expect(grid[2, 4] == [255])
        #expect(grid[3, 3] == [0])     // separator
        #expect(grid[4, 3] == [0])     // empty cell, separator colour
    }

    @Test func quantizeClampsAndRoundsHalfAwayFromZero() {
        #expect(ImageGrid.quantize(0) == 0)
        #expect(ImageGrid.quantize(1) == 255)
        #expect(ImageGrid.quantize(-0.25) == 0)
        #expect(ImageGrid.quantize(7) == 255)
        #expect(ImageGrid.quantize(.nan) == 0)
        #expect(ImageGrid.quantize(-.infinity) == 0)
        #expect(ImageGrid.quantize(.infinity) == 255)
        // 0.5 · 255 = 127.5 exactly in Float: a tie, rounded away from zero.
        #expect(ImageGrid.quantize(0.5) == 128)
        // Float(0.5) / 255 · 255 is 0.5 in Float arithmetic: a tie → 1.
        #expect(ImageGrid.quantize(Float(0.5) / 255) == 1)
        #expect(ImageGrid.quantize(Float(0.49) / 255) == 0)
        #expect(ImageGrid.quantize(Float(254.5) / 255) == 255)
        // Every byte survives byte → float → byte.
        #expect((0...255).allSatisfy { ImageGrid.quantize(Float($0) / 255) == UInt8($0) })
    }

    @Test func quantizedValuesReachTheGrid() throws {
        let floats: [Float] = [Float(0.5) / 255, 0.5, -1, 2]  // one 2×2 gray image
        let grid = try ImageGrid(columns: 1).compose(floats, count: 1, channels: 1, height: 2, width: 2)
        #expect(grid.pixels == [1, 128, 0, 255])
    }

    @Test func upscaleIsNearestNeighbour() throws {
        let floats: [Float] = [0, 1, 1, 0]  // 2×2 checker
        let grid = try ImageGrid(columns: 1, scale: 3).compose(floats, count: 1, channels: 1, height: 2, width: 2)
        #expect(grid.width == 6 && grid.height == 6)
        for y in 0..<6 {
            for x in 0..<6 {
                let expected: UInt8 = (x / 3 + y / 3) % 2 == 1 ? 255 : 0
                #expect(grid[x, y] == [expected], "pixel (\(x), \(y))")
            }
        }
    }

    @Test func rgbPlanesBecomeInterleavedChannels() throws {
        // Channel c of image n is (n + 1) · (c + 1) · 20 / 255.
        let floats = constantImages(count: 2, channels: 3, height: 1, width: 2) { n, c in
            Float((n + 1) * (c + 1) * 20) / 255
        }
        let grid = try ImageGrid(columns: 2, separatorColor: GridColor(red: 1, green: 2, blue: 3))
            .compose(floats, count: 2, channels: 3, height: 1, width: 2)
        #expect(grid.channels == 3)
        #expect(grid.width == 5)
        #expect(grid[1, 0] == [20, 40, 60])
        #expect(grid[2, 0] == [1, 2, 3])
        #expect(grid[3, 0] == [40, 80, 120])
    }

    @Test func pairedRowsPutEachReconstructionBelowItsOriginal() throws {
        // 3 originals (values 10, 20, 30) and reconstructions (11, 21, 31), 2 per row:
        // row 0: o0 o1 · row 1: r0 r1 · row 2: o2 _ · row 3: r2 _
        let originals = constantImages(count: 3, channels: 1, height: 1, width: 1) { n, _ in Float(10 * (n + 1)) / 255 }
        let reconstructions = constantImages(count: 3, channels: 1, height: 1, width: 1) { n, _ in
            Float(10 * (n + 1) + 1) / 255
        }
        let grid = try ImageGrid(columns: 2, spacing: 0, separatorColor: .gray(99))
            .composePairs(originals: originals, reconstructions: reconstructions,
                          count: 3, channels: 1, height: 1, width: 1)
        #expect(grid.width == 2 && grid.height == 4)
        #expect(grid.pixels == [10, 20,
                                11, 21,
                                30, 99,
                                31, 99])
    }

    @Test func badInputThrows() throws {
        let floats = [Float](repeating: 0, count: 12)
        #expect(throws: ImageGridError.self) {
            _ = try ImageGrid(columns: 2).compose(floats, count: 2, channels: 1, height: 2, width: 4)
        }
        #expect(throws: ImageGridError.self) {
            _ = try ImageGrid(columns: 2).compose(floats, count: 1, channels: 4, height: 1, width: 3)
        }
        #expect(throws: ImageGridError.self) {
            _ = try ImageGrid(columns: 2, separatorColor: GridColor(red: 255, green: 0, blue: 0))
                .compose(floats, count: 3, channels: 1, height: 2, width: 2)
        }
        #expect(throws: ImageGridError.self) {
            _ = try ImageGrid(columns: 2).composePairs(originals: floats, reconstructions: Array(floats.prefix(8)),
                                                       count: 3, channels: 1, height: 2, width: 2)
        }
    }
}
