import Formats
import Foundation
import Testing
@testable import Data

/// `"dataset": "array"` and the `.npy` reader, on files NumPy writes (the independent writer).
@Suite struct ArrayDataTests {
    /// Runs NumPy code with `folder` as `d` (a path prefix) and returns the folder.
    private func numpy(_ name: String, _ code: String) throws -> String {
        let folder = try freshFolder("arrays-\(name)")
        _ = try python("import sys, numpy as np\nd = sys.argv[1] + '/'\n" + code, [folder])
        return folder
    }

    @Test func npyFilesOfEveryVersionAndTypeReadAsNumPyWroteThem() throws {
        let folder = try numpy("types", """
        np.save(d + 'u8.npy', np.arange(24, dtype=np.uint8).reshape(2, 3, 4))
        np.save(d + 'f64.npy', np.array([[0.5, -1.25], [3, 4]]))
        np.save(d + 'i16.npy', np.array([-3, 7], dtype='<i2'))
        np.lib.format.write_array(open(d + 'v2.npy', 'wb'), np.arange(3, dtype=np.int64), version=(2, 0))
        np.lib.format.write_array(open(d + 'v3.npy', 'wb'), np.arange(3, dtype=np.float32), version=(3, 0))
        """)
        let u8 = try NPYArray.decode(fileBytes(folder + "/u8.npy"))
        #expect(u8.element == .u8 && u8.shape == [2, 3, 4] && u8.data == (0..<24).map(UInt8.init))
        let f64 = try NPYArray.decode(fileBytes(folder + "/f64.npy"))
        #expect(f64.shape == [2, 2] && f64.floats() == [0.5, -1.25, 3, 4])
        #expect(try NPYArray.decode(fileBytes(folder + "/i16.npy")).integers() == [-3, 7])
        #expect(try NPYArray.decode(fileBytes(folder + "/v2.npy")).integers() == [0, 1, 2])
        #expect(try NPYArray.decode(fileBytes(folder + "/v3.npy")).floats() == [0, 1, 2])
        // What GenLab writes, it reads.
        let ours = NPYFile.encode([1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(try NPYArray.decode(ours) == NPYArray(element: .f32, shape: [2, 3], data: Array(ours.suffix(24))))
    }

    @Test func damagedAndForeignNPYFilesAreRefusedWithAReason() throws {
        let folder = try numpy("bad-npy", """
        np.save(d + 'fortran.npy', np.asfortranarray(np.ones((2, 3), dtype=np.float32)))
        np.save(d + 'big.npy', np.ones(3, dtype='>f4'))
        np.save(d + 'complex.npy', np.ones(3, dtype=np.complex64))
        """)
        func phrase(_ bytes: [UInt8]) -> String {
            do { _ = try NPYArray.decode(bytes); return "" } catch { return error.phrase }
        }
        #expect(phrase(fileBytes(folder + "/fortran.npy")).contains("Fortran order"))
        #expect(phrase(fileBytes(folder + "/big.npy")).contains("holds >f4 elements"))
        #expect(phrase(fileBytes(folder + "/complex.npy")).contains("c8"))
        let good = NPYFile.encode([1, 2, 3, 4], shape: [4])
        #expect(phrase(Array(good.dropLast(3))).contains("(truncated)"))
        #expect(phrase(Array(good.prefix(20))).contains("ends inside its header"))
        #expect(phrase(Array("hello world".utf8)).contains("no \\x93NUMPY magic"))
        // A shape whose byte count overflows is refused, not multiplied out.
        var huge = NPYFile.header(shape: [1 << 40, 1 << 40])
        huge += [0, 0, 0, 0]
        #expect(phrase(huge).contains("too large"))
    }

    @Test func imageArraysInEveryLayoutBecomePlanarBytesOrFloats() throws {
        let folder = try numpy("layouts", """
        x = np.arange(2 * 4 * 5 * 3, dtype=np.uint8).reshape(2, 4, 5, 3)
        np.save(d + 'nhwc.npy', x)
        np.save(d + 'nchw.npy', np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        np.save(d + 'nhw.npy', x[..., 0])
        np.save(d + 'float.npy', (x / 255.0).astype(np.float32))
        np.save(d + 'labels.npy', np.array([1, 0]))
        np.save(d + 'points.npy', np.array([[0.5, 1.5], [2.0, -3.0], [1, 1]], dtype=np.float64))
        """)
        let nhwc = try ArrayData.examples(path: folder + "/nhwc.npy", labelsPath: folder + "/labels.npy")
        let nchw = try ArrayData.examples(path: folder + "/nchw.npy", labelsPath: nil)
        #expect(nhwc.shape == [3, 4, 5] && nhwc.bytes == nchw.bytes && nhwc.labels == [1, 0])
        // Example 0, channel 1, row 0, column 2 is x[0, 0, 2, 1] = 2·3 + 1.
        #expect(nhwc.bytes?[1 * 20 + 2] == 7)
        #expect(try ArrayData.examples(path: folder + "/nhw.npy", labelsPath: nil).shape == [1, 4, 5])
        let floats = try ArrayData.examples(path: folder + "/float.npy", labelsPath: nil)
        #expect(floats.bytes == nil && floats.floats?[1 * 20 + 2] == Float(Float(7) / 255))
        let points = try ArrayData.examples(path: folder + "/points.npy", labelsPath: nil)
        #expect(points.shape == [2] && points.floats == [0.5, 1.5, 2, -3, 1, 1] && !points.isImage)
    }

    @Test func aSafetensorsFileCarriesItsImagesAndLabels() throws {
        let folder = try freshFolder("arrays-safetensors")
        let images = SafeTensor([UInt8](repeating: 9, count: 5 * 16), shape: [5, 1, 4, 4])
        let labels = SafeTensor([Int64](arrayLiteral: 0, 1, 2, 0, 1), shape: [5])
        try writePlain(SafeTensors.encode(tensors: [("images", images), ("labels", labels)], metadata: [:]), to: folder + "/data.safetensors")
        let (train, test) = try ArrayData.load(.init(path: folder + "/data.safetensors"), trainLimit: nil, testLimit: 2, seed: 0)
        #expect(train.count == 3 && test.count == 2 && train.exampleShape == [1, 4, 4])
        let all = Set((train.labels ?? []) + (test.labels ?? []))
        #expect(all == [0, 1, 2])
        try writePlain(SafeTensors.encode(tensors: [("x", images)], metadata: [:]), to: folder + "/other.safetensors")
        let error = try #require(throws: DataError.self) { try ArrayData.load(.init(path: folder + "/other.safetensors"), trainLimit: nil, testLimit: nil, seed: 0) }
        #expect(error.description.contains("expected exactly one of \"images\" and \"points\""))
    }

    @Test func aSecondFileIsTheTestSplitAndLimitsAreChecked() throws {
        let folder = try numpy("split", """
        np.save(d + 'a.npy', np.zeros((6, 2), dtype=np.float32))
        np.save(d + 'b.npy', np.ones((3, 2), dtype=np.float32))
        np.save(d + 'c.npy', np.ones((3, 3, 3), dtype=np.uint8))
        """)
        let (train, test) = try ArrayData.load(.init(path: folder + "/a.npy", testPath: folder + "/b.npy"), trainLimit: 4, testLimit: nil, seed: 0)
        #expect(train.count == 4 && test.count == 3)
        let tooMany = try #require(throws: DataError.self) {
            try ArrayData.load(.init(path: folder + "/a.npy", testPath: folder + "/b.npy"), trainLimit: 7, testLimit: nil, seed: 0)
        }
        #expect(tooMany == .notEnoughExamples(path: folder + "/a.npy", split: "train", requested: 7, available: 6, detail: nil))
        let mismatch = try #require(throws: DataError.self) {
            try ArrayData.load(.init(path: folder + "/a.npy", testPath: folder + "/c.npy"), trainLimit: nil, testLimit: nil, seed: 0)
        }
        #expect(mismatch.path == folder + "/c.npy")
    }

    /// Each bad array is an error naming the file and what is wrong with it.
    @Test func badArraysAreNamed() throws {
        let folder = try numpy("bad", """
        np.save(d + 'five.npy', np.zeros((4, 5), dtype=np.float32))
        np.save(d + 'bool.npy', np.zeros((4, 3, 3), dtype=bool))
        np.save(d + 'range.npy', np.full((4, 3, 3), 1.5, dtype=np.float32))
        np.save(d + 'ints.npy', np.full((4, 3, 3), 300, dtype=np.int32))
        np.save(d + 'chan.npy', np.zeros((4, 5, 5, 5), dtype=np.uint8))
        np.save(d + 'ok.npy', np.zeros((4, 3, 3), dtype=np.uint8))
        np.save(d + 'labels3.npy', np.zeros(3, dtype=np.int64))
        np.save(d + 'negative.npy', np.array([0, -1, 0, 0]))
        np.save(d + 'half.npy', np.array([0, 0.5, 0, 0]))
        np.save(d + 'intpoints.npy', np.zeros((4, 2), dtype=np.int32))
        np.save(d + 'nanpoints.npy', np.array([[0, 1], [np.nan, 0]], dtype=np.float32))
        open(d + 'data.csv', 'w').write('1,2')
        """)
        func reason(_ file: String, labels: String? = nil) throws -> String {
            let error = try #require(throws: DataError.self) { try ArrayData.examples(path: folder + "/" + file, labelsPath: labels.map { folder + "/" + $0 }) }
            #expect(error.path == folder + "/" + (labels ?? file), "\(error)")
            return error.description
        }
        #expect(try reason("five.npy").contains("expected points [N, 2] or images"))
        #expect(try reason("bool.npy").contains("holds bool elements"))
        #expect(try reason("range.npy").contains("float images must lie in [0, 1]"))
        #expect(try reason("ints.npy").contains("integer images must lie in 0…255"))
        #expect(try reason("chan.npy").contains("images need 1 or 3 channels"))
        #expect(try reason("ok.npy", labels: "labels3.npy").contains("holds labels of shape [3], but"))
        #expect(try reason("ok.npy", labels: "negative.npy").contains("label 1 is -1"))
        #expect(try reason("ok.npy", labels: "half.npy").contains("label 1 is not a whole number"))
        #expect(try reason("intpoints.npy").contains("points must be float32 or float64"))
        #expect(try reason("nanpoints.npy").contains("point 1 is not finite"))
        #expect(try reason("data.csv").contains("is neither a .npy nor a .safetensors file"))
        let missing = try #require(throws: DataError.self) { try ArrayData.examples(path: folder + "/none.npy", labelsPath: nil) }
        #expect(missing == .missingFile(path: folder + "/none.npy"))
    }
}
