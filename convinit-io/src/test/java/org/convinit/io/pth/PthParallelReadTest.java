package org.convinit.io.pth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.internal.Parallel;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints above {@link PthReader#PARALLEL_BYTES} are read in parallel on the one pool, with the serial result. */
class PthParallelReadTest {
    @TempDir
    Path dir;

    @Test
    void parallelReadGivesTheSerialResultAtEveryThreadCount() throws Exception {
        int perTensor = (int) (PthReader.PARALLEL_BYTES / 4 / 3) + 1; // three float storages, together above the threshold
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        for (int t = 0; t < 3; t++) {
            float[] v = new float[perTensor];
            for (int i = 0; i < v.length; i++) v[i] = t * 1e6f + (i % 9973);
            m.put("w" + t, Tensor.of(v, perTensor));
        }
        m.put("small", Tensor.of(new double[] {1.5, -2.5}, 2));
        Path f = dir.resolve("big.pth");
        PthWriter.write(f, m);
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                Map<String, Tensor> got;
                try (PthReader r = PthReader.open(f)) {
                    got = r.readAll();
                }
                assertThat(got.keySet()).containsExactlyElementsOf(m.keySet());
                for (String k : m.keySet()) {
                    assertThat(got.get(k).dtype()).as(k).isEqualTo(m.get(k).dtype());
                    double[] want = m.get(k).toDoubleArray();
                    double[] have = got.get(k).toDoubleArray();
                    assertThat(have.length).as(k).isEqualTo(want.length);
                    int bad = java.util.stream.IntStream.range(0, want.length).filter(i -> have[i] != want[i]).findFirst().orElse(-1);
                    assertThat(bad).as("%s threads=%d: first differing element %d (%s, expected %s)", k, threads, bad,
                            bad < 0 ? "" : have[bad], bad < 0 ? "" : want[bad]).isEqualTo(-1);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
