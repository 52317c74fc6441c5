package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Bits;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** State bytes written by convinit restore in the live torch, which then continues convinit's stream. */
class GeneratorStateDifferentialTest {

    static final String SCRIPT = String.join("\n",
            "import sys, torch",
            "g = torch.Generator()",
            "g.set_state(torch.tensor(list(open(sys.argv[1], 'rb').read()), dtype=torch.uint8))",
            "n = torch.empty(3).normal_(generator=g)",
            "u = torch.empty(50).uniform_(generator=g)",
            "print(' '.join('%08x' % (v & 0xFFFFFFFF) for v in torch.cat([n, u]).view(torch.int32).tolist()))",
            "print(g.initial_seed())");

    @Test
    void torchContinuesFromAStateConvinitSaved() throws IOException {
        Torch.require();
        Generator g = new Generator(-12345);
        Tensor.empty(DType.FLOAT32, 5).normal_(0, 1, g); // odd count: a cached sample is pending
        Tensor.empty(DType.FLOAT32, 1500).uniform_(0, 1, g);
        Path f = Files.createTempFile("convinit-state", ".bin");
        try {
            Files.write(f, g.getState());
            String[] lines = Torch.run(SCRIPT, f.toString()).trim().split("\n");
            String[] torchBits = lines[0].trim().split(" ");
            String[] mine = concat(Bits.hex(Tensor.empty(DType.FLOAT32, 3).normal_(0, 1, g)),
                    Bits.hex(Tensor.empty(DType.FLOAT32, 50).uniform_(0, 1, g)));
            assertThat(mine).containsExactly(torchBits);
            assertThat(lines[1].trim()).isEqualTo(Long.toUnsignedString(-12345L));
        } finally {
            Files.deleteIfExists(f);
        }
        assertThat(HexFormat.of().formatHex(g.getState()).length()).isEqualTo(2 * 5056);
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
