import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The conv GEMM micro-kernel alone, at the hot 3x3 shapes: GFLOP/s (useful flops: 2·O·C·9·H·W per image) of
 * register tiles over the polyphase buffer (B rows at koff[k] + j, as FloatConv reads them) or over a packed
 * B panel (each column panel of nr copied k-major into a small contiguous buffer first, pack time included).
 * Alternating rounds in one JVM; also prints the bytes allocated per call (boxed vectors show up there).
 * Run: java --add-modules jdk.incubator.vector tools/bench/GemmCeiling.java [rounds]
 * (add -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0 to see what the bounds checks cost).
 */
public final class GemmCeiling {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    interface Tile {
        void run(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init);
    }

    record Variant(String name, int mr, int nr, boolean packed, Tile tile, boolean tap) {
        Variant(String name, int mr, int nr, boolean packed, Tile tile) {
            this(name, mr, nr, packed, tile, false);
        }
    }

    record Shape(String name, int c, int h, int w, int o) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Variant[] vs = {
            new Variant("8x2 koff", 8, 2 * L, false, GemmCeiling::t8x2),
            new Variant("8x2 packed", 8, 2 * L, true, GemmCeiling::t8x2),
            new Variant("8x3 koff", 8, 3 * L, false, GemmCeiling::t8x3),
            new Variant("8x3 packed", 8, 3 * L, true, GemmCeiling::t8x3),
            // tap-major (for each tap, for each channel: B rows linear in the channel) is a nested loop with the
            // accumulators live across it: on JDK 17 C2 boxes every vector (about 0.9 GFLOP/s, 0.7 GB allocated per call)
            new Variant("8x2 tap-major", 8, 2 * L, false, GemmCeiling::t8x2tap, true),
            new Variant("8x2 packed-lin", 8, 2 * L, true, GemmCeiling::t8x2lin, true),
            new Variant("8x3 packed-lin", 8, 3 * L, true, GemmCeiling::t8x3lin, true),
            new Variant("12x2 koff", 12, 2 * L, false, GemmCeiling::t12x2),
            new Variant("12x2 packed", 12, 2 * L, true, GemmCeiling::t12x2),
            new Variant("4x4 koff", 4, 4 * L, false, GemmCeiling::t4x4),
            new Variant("6x2 koff", 6, 2 * L, false, GemmCeiling::t6x2),
            new Variant("4x3 koff", 4, 3 * L, false, GemmCeiling::t4x3),
        };
        String only = System.getProperty("only");
        if (only != null) {
            java.util.List<String> keep = java.util.List.of(only.split(","));
            vs = Arrays.stream(vs).filter(v -> keep.contains(v.name)).toArray(Variant[]::new);
        }
        Shape[] shapes = {new Shape("64@56x56->64", 64, 56, 56, 64), new Shape("256@14x14->256", 256, 14, 14, 256),
            new Shape("32@14x14->64", 32, 14, 14, 64)};
        System.out.printf(Locale.ROOT, "java %s, species %s, OOB check %s%n", System.getProperty("java.version"), S,
                System.getProperty("jdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK", "default"));
        for (Shape sh : shapes) {
            double[][] g = new double[vs.length][rounds];
            long[] alloc = new long[vs.length];
            Problem p = new Problem(sh);
            for (int r = -2; r < rounds; r++) {
                for (int v = 0; v < vs.length; v++) {
                    long a0 = allocated();
                    double s = p.time(vs[v]);
                    if (r >= 0) {
                        g[v][r] = p.flops / s / 1e9;
                        alloc[v] = (allocated() - a0) / p.calls;
                    }
                }
            }
            System.out.println(sh.name);
            for (int v = 0; v < vs.length; v++) {
                double[] x = g[v].clone();
                Arrays.sort(x);
                System.out.printf(Locale.ROOT, "  %-12s median %6.1f GFLOP/s  (min %6.1f max %6.1f)  %d B/call%n", vs[v].name, x[x.length / 2],
                        x[0], x[x.length - 1], alloc[v]);
            }
        }
    }

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** One image of a 3x3 stride-1 pad-1 conv: the padded buffer, packed weights, output. */
    static final class Problem {
        final Shape sh;
        final int pw, plane, wide, kLen;
        final float[] buf, a, out;
        final int[] koff;
        final int[] tapInfo = new int[11];
        final double flops;
        int calls;

        Problem(Shape sh) {
            this.sh = sh;
            pw = sh.w + 2;
            plane = (sh.h + 2) * pw;
            wide = sh.h * pw;
            kLen = sh.c * 9;
            buf = new float[sh.c * plane + 1024];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < buf.length; i++) buf[i] = r.nextFloat() - 0.5f;
            a = new float[(sh.o + 16) * kLen];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
            out = new float[(sh.o + 16) * (wide + 256)];
            koff = new int[kLen];
            for (int c = 0; c < sh.c; c++) for (int t = 0; t < 9; t++) koff[c * 9 + t] = c * plane + (t / 3) * pw + t % 3;
            tapInfo[0] = 9;
            tapInfo[1] = plane;
            for (int t = 0; t < 9; t++) tapInfo[2 + t] = (t / 3) * pw + t % 3;
            flops = 2.0 * sh.o * kLen * sh.h * sh.w;
        }

        /** Seconds per image (median of a few batches of calls). */
        double time(Variant v) {
            int[] pk = new int[kLen];
            for (int k = 0; k < kLen; k++) pk[k] = k * v.nr;
            float[] panel = new float[kLen * v.nr + 64];
            int reps = Math.max(1, (int) (4e7 / flops));
            long best = Long.MAX_VALUE;
            calls = 0;
            for (int t = 0; t < 20; t++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    once(v, pk, panel);
                }
                best = Math.min(best, System.nanoTime() - t0);
                calls += reps;
            }
            return best / 1e9 / reps;
        }

        void once(Variant v, int[] pk, float[] panel) {
            int mr = v.mr, nr = v.nr;
            int rowPanels = (sh.o + mr - 1) / mr;
            int ld = wide + 256;
            for (int j = 0; j < wide; j += nr) {
                if (v.packed && v.tap) {
                    for (int k = 0; k < kLen; k++) {
                        int src = koff[k] + j;
                        for (int q = 0; q < nr; q += L) FloatVector.fromArray(S, buf, src + q).intoArray(panel, k * nr + q);
                    }
                } else if (v.packed) {
                    for (int k = 0; k < kLen; k++) System.arraycopy(buf, koff[k] + j, panel, k * nr, nr);
                }
                for (int pi = 0; pi < rowPanels; pi++) {
                    if (v.packed && v.tap) {
                        v.tile.run(kLen, a, pi * mr * kLen, panel, null, 0, out, pi * mr * ld + j, ld, true);
                    } else if (v.packed) {
                        v.tile.run(kLen, a, pi * mr * kLen, panel, pk, 0, out, pi * mr * ld + j, ld, true);
                    } else {
                        v.tile.run(kLen, a, pi * mr * kLen, buf, v.tap ? tapInfo : koff, j, out, pi * mr * ld + j, ld, true);
                    }
                }
            }
        }
    }

    static void t8x2(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int k = 0, ao = aOff; k < kLen; k++, ao += 8) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }

    static void t8x3(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z, c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        for (int k = 0, ao = aOff; k < kLen; k++, ao += 8) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c12.intoArray(c, cOff + 1 * ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c41.intoArray(c, cOff + 4 * ldc + 1 * L);
        c42.intoArray(c, cOff + 4 * ldc + 2 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
        c51.intoArray(c, cOff + 5 * ldc + 1 * L);
        c52.intoArray(c, cOff + 5 * ldc + 2 * L);
        c60.intoArray(c, cOff + 6 * ldc + 0 * L);
        c61.intoArray(c, cOff + 6 * ldc + 1 * L);
        c62.intoArray(c, cOff + 6 * ldc + 2 * L);
        c70.intoArray(c, cOff + 7 * ldc + 0 * L);
        c71.intoArray(c, cOff + 7 * ldc + 1 * L);
        c72.intoArray(c, cOff + 7 * ldc + 2 * L);
    }

    static void t12x2(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z, c70 = z, c71 = z, c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
        for (int k = 0, ao = aOff; k < kLen; k++, ao += 12) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            av = FloatVector.broadcast(S, a[ao + 8]);
            c80 = av.fma(b0, c80);
            c81 = av.fma(b1, c81);
            av = FloatVector.broadcast(S, a[ao + 9]);
            c90 = av.fma(b0, c90);
            c91 = av.fma(b1, c91);
            av = FloatVector.broadcast(S, a[ao + 10]);
            ca0 = av.fma(b0, ca0);
            ca1 = av.fma(b1, ca1);
            av = FloatVector.broadcast(S, a[ao + 11]);
            cb0 = av.fma(b0, cb0);
            cb1 = av.fma(b1, cb1);
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c41.intoArray(c, cOff + 4 * ldc + 1 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
        c51.intoArray(c, cOff + 5 * ldc + 1 * L);
        c60.intoArray(c, cOff + 6 * ldc + 0 * L);
        c61.intoArray(c, cOff + 6 * ldc + 1 * L);
        c70.intoArray(c, cOff + 7 * ldc + 0 * L);
        c71.intoArray(c, cOff + 7 * ldc + 1 * L);
        c80.intoArray(c, cOff + 8 * ldc + 0 * L);
        c81.intoArray(c, cOff + 8 * ldc + 1 * L);
        c90.intoArray(c, cOff + 9 * ldc + 0 * L);
        c91.intoArray(c, cOff + 9 * ldc + 1 * L);
        ca0.intoArray(c, cOff + 10 * ldc + 0 * L);
        ca1.intoArray(c, cOff + 10 * ldc + 1 * L);
        cb0.intoArray(c, cOff + 11 * ldc + 0 * L);
        cb1.intoArray(c, cOff + 11 * ldc + 1 * L);
    }

    static void t4x4(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int k = 0, ao = aOff; k < kLen; k++, ao += 4) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bo + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        c03.intoArray(c, cOff + 0 * ldc + 3 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c12.intoArray(c, cOff + 1 * ldc + 2 * L);
        c13.intoArray(c, cOff + 1 * ldc + 3 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c23.intoArray(c, cOff + 2 * ldc + 3 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c33.intoArray(c, cOff + 3 * ldc + 3 * L);
    }

    static void t8x2tap(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int taps = koff[0], cv = koff[1], cg = kLen / taps, ao = aOff;
        for (int t = 0; t < taps; t++) {
        int bt = koff[2 + t] + j;
        for (int ch = 0; ch < cg; ch++, ao += 8) {
            int bo = bt + ch * cv;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }
    static void t8x2lin(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int k = 0, ao = aOff, bo = j; k < kLen; k++, ao += 8, bo += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }
    static void t8x3lin(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c50 = z, c51 = z, c52 = z, c60 = z, c61 = z, c62 = z, c70 = z, c71 = z, c72 = z;
        for (int k = 0, ao = aOff, bo = j; k < kLen; k++, ao += 8, bo += 3 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c12.intoArray(c, cOff + 1 * ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c41.intoArray(c, cOff + 4 * ldc + 1 * L);
        c42.intoArray(c, cOff + 4 * ldc + 2 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
        c51.intoArray(c, cOff + 5 * ldc + 1 * L);
        c52.intoArray(c, cOff + 5 * ldc + 2 * L);
        c60.intoArray(c, cOff + 6 * ldc + 0 * L);
        c61.intoArray(c, cOff + 6 * ldc + 1 * L);
        c62.intoArray(c, cOff + 6 * ldc + 2 * L);
        c70.intoArray(c, cOff + 7 * ldc + 0 * L);
        c71.intoArray(c, cOff + 7 * ldc + 1 * L);
        c72.intoArray(c, cOff + 7 * ldc + 2 * L);
    }

    static void t6x2(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        for (int k = 0, ao = aOff; k < kLen; k++, ao += 6) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
    }

    static void t4x3(int kLen, float[] a, int aOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc, boolean init) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z, c30 = z, c31 = z, c32 = z;
        for (int k = 0, ao = aOff; k < kLen; k++, ao += 4) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c02.intoArray(c, cOff + 2 * L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c12.intoArray(c, cOff + ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
    }
}
