package org.convinit.data;

import org.convinit.random.Generator;

/**
 * {@code torch.randperm(n, generator=g)} on CPU, bit for bit as torch 1.13's {@code randperm_cpu}: start from
 * {@code 0..n-1}; for {@code i = 0 .. n-2} draw one 32-bit {@code random()} and swap element {@code i} with
 * element {@code i + random() % (n - i)}. That is n-1 draws.
 */
public final class Randperm {
    private Randperm() {}

    /** A random permutation of {@code 0..n-1} drawn from {@code generator} (null: the default generator). */
    public static int[] randperm(int n, Generator generator) {
        if (n < 0) throw new IllegalArgumentException("n " + n + ": expected a non-negative number of elements");
        Generator g = Generator.orDefault(generator);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        synchronized (g) {
            for (int i = 0; i < n - 1; i++) {
                int z = (int) (g.random() % (n - i));
                int sav = r[i];
                r[i] = r[z + i];
                r[z + i] = sav;
            }
        }
        return r;
    }
}
