import Data
import Testing

@Suite struct FashionMNISTTests {
    @Test func loadsFromTheDebianPackage() throws {
        let splits = try DataSplits.load(.fashionMNIST())
        #expect(splits.train.count == 60_000)
        #expect(splits.test.count == 10_000)
        #expect(splits.train.exampleShape == [1, 28, 28])
        #expect(splits.test.exampleShape == [1, 28, 28])
        #expect(splits.classCount == 10)
        for labels in [splits.train.labels, splits.test.labels] {
            let l = try #require(labels)
            #expect(Set(l) == Set(0..<10))
        }
        // Balanced classes: 6000 per class in train, 1000 in test.
        #expect(splits.train.labels!.filter { $0 == 3 }.count == 6000)
        #expect(splits.test.labels!.filter { $0 == 7 }.count == 1000)

        let images = try #require(splits.train as? ByteImageDataset)
        #expect(images.pixels.max() == 255 && images.pixels.min() == 0)
    }

    @Test func limitsKeepTheFirstExamples() throws {
        let all = try DataSplits.load(.fashionMNIST())
        let few = try DataSplits.load(.fashionMNIST(trainLimit: 100, testLimit: 10))
        #expect(few.train.count == 100 && few.test.count == 10)
        #expect(few.train.labels! == Array(all.train.labels!.prefix(100)))
        #expect(few.test.labels! == Array(all.test.labels!.prefix(10)))
    }
}
