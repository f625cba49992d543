import Formats
import Foundation
@testable import Report
import Testing

/// (N, 1, H, W) floats, image n constant n / count.
private func grayImages(count: Int, height: Int, width: Int) -> [Float] {
    (0..<count).flatMap { n in [Float](repeating: Float(n) / Float(count), count: height * width) }
}

private let white: [UInt8] = [255]

@Suite struct GridCaptionsTests {
    @Test func noCaptionsReturnTheGridByteForByte() throws {
        let layout = ImageGrid(columns: 3, spacing: 1, separatorColor: .gray(200), scale: 2)
        let grid = try layout.compose(grayImages(count: 6, height: 4, width: 5), count: 6, channels: 1, height: 4, width: 5)
        #expect(layout.captioned(grid, imageHeight: 4, captions: GridCaptions()) == grid)
        #expect(layout.captioned(grid, imageHeight: 4, captions: GridCaptions(caption: "")) == grid)
    }

    @Test func captionAndRowLabelsAddMarginsAroundAnUnchangedGrid() throws {
        let layout = ImageGrid(columns: 3, spacing: 1, separatorColor: .gray(200), scale: 2)
        let grid = try layout.compose(grayImages(count: 6, height: 8, width: 10), count: 6, channels: 1, height: 8, width: 10)
        #expect(grid.width == 62 && grid.height == 33)
        let captions = GridCaptions(caption: "samples", captionSide: .below, rowLabels: ["β = 1", "β = 4"], rowLabelSide: .left)
        let out = layout.captioned(grid, imageHeight: 8, captions: captions)
        // Label column: "β = 1" is 40 px + 2·6; caption band: 13 + 2·6.
        #expect(out.width == 62 + 52 && out.height == 33 + 25 && out.channels == 1)
        for y in 0..<33 {
            for x in 0..<62 { #expect(out[52 + x, y] == grid[x, y]) }
        }
        // The row labels are black text left of their rows, vertically centred: row 0 spans
        // y 0…15 (centre 8), row 1 y 17…32 (centre 25); capitals span 4 above to 4 below the centre.
        func ink(_ xs: Range<Int>, _ ys: ClosedRange<Int>) -> Bool { ys.contains { y in xs.contains { out[$0, y] == [0] } } }
        #expect(ink(6..<46, 4...12) && ink(6..<46, 21...29))
        #expect(!ink(0..<52, 15...20))        // between the labels (β descends to row 14)
        #expect(!ink(0..<6, 0...32) && !ink(46..<52, 0...32))  // padding
        // The caption is centred under the grid, in the band's middle rows.
        #expect(ink(0..<114, 39...51) && !ink(0..<114, 33...38))
        let text = "samples"
        let left = (114 - BitmapFont.standard.width(of: text)) / 2
        #expect(!ink(0..<left, 33...57) && !ink((left + 56)..<114, 33...57))
    }

    @Test func rightLabelsAndAWideCaptionAbove() throws {
        let layout = ImageGrid(columns: 2)
        let grid = try layout.compose(grayImages(count: 2, height: 3, width: 3), count: 2, channels: 1, height: 3, width: 3)
        let out = layout.captioned(grid, imageHeight: 3, captions: GridCaptions(caption: "a caption wider than the grid", rowLabels: ["x"], rowLabelSide: .right))
        #expect(out.width == 29 * 8 + 12 && out.height == 3 + 25)
        let gridX = (out.width - 7 - 20) / 2
        #expect(out[gridX, 25] == [0] && out[gridX + 4, 25] == [128] && out[gridX + 3, 25] == [255])
    }

    @Test func galleryPlacesImagesOfDifferentSizesWithWrappedCaptions() throws {
        let a = PixelImage(width: 40, height: 30, channels: 1, fill: [0])
        let b = PixelImage(width: 20, height: 20, channels: 3, fill: [10, 20, 30])
        let c = PixelImage(width: 10, height: 10, channels: 1, fill: [100])
        let out = ImageGallery(columns: 2, spacing: 4).compose([a, b, c], captions: ["β = 1", "model.beta = 4, seed 0", ""])
        // Cells are 40 wide (5 glyphs): the second caption wraps to "model", ".beta", "= 4,", "seed",
        // "0", so every cell is 30 + 4 + 5·13 = 99 tall.
        #expect(out.channels == 3 && out.width == 2 * 40 + 3 * 4 && out.height == 2 * 99 + 3 * 4)
        #expect(out[4, 4] == [0, 0, 0])                         // a at (4, 4)
        #expect(out[4 + 40 + 4 + 10, 4] == [10, 20, 30])        // b centred in cell 1: x 58…77
        #expect(out[4 + 40 + 4 + 9, 4] == [255, 255, 255])
        #expect(out[4 + 40 + 4 + 10, 24] == [255, 255, 255])   // below b, above its caption
        #expect(out[4 + 15, 4 + 99 + 4] == [100, 100, 100])  // c in row 1, centred: x 19…28
        #expect(out[4 + 14, 4 + 99 + 4] == [255, 255, 255])
        try saveExample("gallery-small.png", out)
    }

    @Test func captionsWrapAtSpacesAndCutLongWords() {
        let font = BitmapFont.standard
        #expect(ImageGallery.wrap("model.beta = 4, seed 0", width: 80, font: font) == ["model.beta", "= 4, seed", "0"])
        #expect(ImageGallery.wrap("abcdefghijkl", width: 40, font: font) == ["abcde", "fghij", "kl"])
        #expect(ImageGallery.wrap("", width: 40, font: font) == [])
    }

    @Test(.enabled(if: pythonDecoderAvailable, "python3 not found: independent PNG decoder skipped"))
    func captionedGridsDecodeIndependently() throws {
        let layout = ImageGrid(columns: 4, spacing: 1, scale: 2)
        let grid = try layout.compose(grayImages(count: 8, height: 6, width: 6), count: 8, channels: 1, height: 6, width: 6)
        let out = layout.captioned(grid, imageHeight: 6, captions: GridCaptions(caption: "β-VAE samples", rowLabels: ["seed 0", "seed 1"]))
        let decoded = try decodeWithPython(try PNGCodec.encode(out))
        #expect(decoded == out && decoded.channels == 1)
        let gallery = ImageGallery(columns: 2).compose([out, PixelImage(width: 5, height: 5, channels: 3, fill: [1, 2, 3])], captions: ["a", "b"])
        let decodedGallery = try decodeWithPython(try PNGCodec.encode(gallery))
        #expect(decodedGallery == gallery && decodedGallery.channels == 3)
    }

    /// Examples from a real results folder, when GENLAB_PLOT_EXAMPLES and GENLAB_RUNS name them.
    @Test func realRunsExample() throws {
        guard let folder = ProcessInfo.processInfo.environment["GENLAB_RUNS"] else { return }
        let ids = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        var images = [PixelImage](), captions = [String]()
        for id in ids {
            guard let data = FileManager.default.contents(atPath: "\(folder)/\(id)/samples.png") else { continue }
            images.append(try PNGCodec.decode(Array(data)))
            captions.append("run \(id) (model.beta swept)")
        }
        guard let first = images.first else { return }
        let layout = ImageGrid(columns: 1, spacing: 0)
        try saveExample("samples-captioned.png", layout.captioned(first, imageHeight: first.height,
                                                                  captions: GridCaptions(caption: "samples of run \(ids[0])", captionSide: .below, rowLabels: ["prior"])))
        try saveExample("gallery.png", ImageGallery(columns: 2).compose(images, captions: captions))
    }
}
