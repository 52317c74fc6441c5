package org.convinit.io.reliability;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;

/**
 * The child of {@link KillTest}: saves checkpoint number {@code FIRST}, {@code FIRST+1}, ... to
 * {@code TARGET} in a loop, printing {@code ready} before the first save and {@code saved N} after
 * each, until it is killed (or after {@code COUNT} saves).
 *
 * <p>Usage: {@code SaveLoop TARGET FIRST [COUNT]}
 */
public final class SaveLoop {
    /** Elements of the big tensor: 50 MB of float32. */
    static final int NUMEL = 50 * 1000 * 1000 / 4;

    private SaveLoop() {}

    /** Checkpoint number {@code step}: a 50 MB float32 tensor whose every element depends on the step, and the step. */
    static Map<String, Tensor> checkpoint(long step) {
        float[] w = new float[NUMEL];
        for (int i = 0; i < NUMEL; i++) w[i] = (float) ((i * 31L + step * 1_000_003L) % 65_536);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("step", Tensor.of(new long[] {step}, 1));
        m.put("weight", Tensor.of(w, NUMEL));
        return m;
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        long count = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
        System.out.println("ready");
        System.out.flush();
        for (long k = first; k - first < count; k++) {
            Checkpoints.write(target, checkpoint(k));
            System.out.println("saved " + k);
            System.out.flush();
        }
    }
}
