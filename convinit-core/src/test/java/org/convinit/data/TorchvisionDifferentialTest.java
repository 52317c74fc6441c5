package org.convinit.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small random Fashion-MNIST written in the test, read by torchvision's {@code FashionMNIST(transform=ToTensor())}
 * and batched by torch's {@code DataLoader(shuffle=True, generator=...)}, against {@link FashionMnist} and
 * {@link DataLoader}: the same labels and the same image bits (SHA-256 of each batch's float32 values) in every batch
 * of two epochs, with and without drop_last.
 */
class TorchvisionDifferentialTest {
    @TempDir
    Path root;

    private static final String SCRIPT = String.join("\n",
            "import sys, hashlib, numpy as np, torch",
            "from torchvision import datasets, transforms",
            "from torch.utils.data import DataLoader",
            "ds = datasets.FashionMNIST(sys.argv[1], train=True, transform=transforms.ToTensor(), download=False)",
            "for case in sys.argv[2:]:",
            "    seed, bs, drop = case.split(':')",
            "    print('case', case)",
            "    loader = DataLoader(ds, batch_size=int(bs), shuffle=True, drop_last=drop == '1',",
            "                        generator=torch.Generator().manual_seed(int(seed)))",
            "    for epoch in range(2):",
            "        for x, y in loader:",
            "            assert x.dtype == torch.float32 and y.dtype == torch.int64",
            "            print(list(x.shape), ','.join(str(v) for v in y.tolist()),",
            "                  hashlib.sha256(x.numpy().astype('<f4').tobytes()).hexdigest())",
            "");

    @Test
    void sameBatchesAsTorchvisionAndTorchDataLoader() throws IOException, NoSuchAlgorithmException {
        Torch.require();
        int n = 37;
        Generator g = new Generator(2024);
        byte[] px = new byte[n * 28 * 28];
        for (int i = 0; i < px.length; i++) px[i] = (byte) g.random();
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) (g.random() % 10);
        Path raw = Files.createDirectories(root.resolve("FashionMNIST").resolve("raw"));
        Files.write(raw.resolve("train-images-idx3-ubyte"), Idx.encode(FashionMnistTest.bytes(px, n, 28, 28)));
        Files.write(raw.resolve("train-labels-idx1-ubyte"), Idx.encode(FashionMnistTest.bytes(lb, n)));
        Files.write(raw.resolve("t10k-images-idx3-ubyte"), Idx.encode(FashionMnistTest.bytes(new byte[28 * 28], 1, 28, 28)));
        Files.write(raw.resolve("t10k-labels-idx1-ubyte"), Idx.encode(FashionMnistTest.bytes(new byte[1], 1)));
        ImageDataset ds = FashionMnist.load(raw, true);

        String[] cases = {"7:8:0", "123:5:1", "0:37:0"};
        List<String> expected = Torch.run(SCRIPT, root.toString(), cases[0], cases[1], cases[2]).lines().toList();
        List<String> got = new ArrayList<>();
        for (String c : cases) {
            String[] f = c.split(":");
            long seed = Long.parseLong(f[0]);
            int bs = Integer.parseInt(f[1]);
            boolean drop = f[2].equals("1");
            got.add("case " + c);
            DataLoader<ImageDataset.Batch> loader = new DataLoader<>(ds,
                    DataLoader.Options.of(bs).shuffle(true).dropLast(drop).generator(new Generator(seed)));
            for (int epoch = 0; epoch < 2; epoch++) {
                for (ImageDataset.Batch b : loader) got.add(describe(b));
            }
        }
        assertThat(got).hasSize(3 + 2 * (5 + 7 + 1));
        assertThat(got).isEqualTo(expected);
    }

    private static String describe(ImageDataset.Batch b) throws NoSuchAlgorithmException {
        float[] v = b.images().toFloatArray();
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) bb.putFloat(f);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bb.array()));
        StringBuilder labels = new StringBuilder();
        for (long l : b.labels().toLongArray()) labels.append(labels.length() == 0 ? "" : ",").append(l);
        return b.images().shape() + " " + labels + " " + hash;
    }
}
