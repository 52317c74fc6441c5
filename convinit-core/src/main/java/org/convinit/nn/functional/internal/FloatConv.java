package org.convinit.nn.functional.internal;

import org.convinit.internal.Parallel;

/**
 * The float32 convolution on dense arrays, as an implicit GEMM over {@link ConvGeometry}'s
 * polyphase buffer: per image and group, {@code out[O/G, wide] = W[O/G, C/G·K] · B[C/G·K, wide]},
 * computed in {@code mr × nr} register tiles and scattered to the output rows. Channel-wise
 * convolutions (one input channel per output channel, e.g. depthwise) use a direct vector loop
 * instead. Parallel over (image, group, column chunk) or (image, channel block).
 */
public final class FloatConv {
    /** Bytes of one group's weights above which the GEMM runs row panels outermost. */
    private static final long A_RESIDENT_BYTES = 256 * 1024;
    /** Bytes of one group's padded input below which it is taken to stay in L2. */
    private static final long B_RESIDENT_BYTES = 512 * 1024;
    /** Elements of a work item's wide output block. */
    private static final int C_BLOCK_ELEMS = 64 * 1024;
    /** Longest reduction for which the GEMM aligns tiles to output rows. */
    private static final int ROW_MODE_MAX_K = 64;
    /** Reduction length per pass over the wide output block (measured: blocking at 128-288 slows a 576-long one). */
    private static final int K_BLOCK = 2048;

    /** Padded inputs smaller than this are filled on the calling thread (waking the pool costs more). */
    private static final long SERIAL_FILL_ELEMS = 256 * 1024;

    private FloatConv() {}

    /**
     * @param x    input, dense {@code [n, C, *in]} at {@code xOff}
     * @param w    weight, dense {@code [outCh, C/groups, *K]} at {@code wOff}
     * @param bias {@code outCh} values or null
     * @param out  dense {@code [n, outCh, *out]}, fully written
     */
    public static void conv(FloatKernel kern, ConvGeometry g, int n, int groups, int outCh, float[] x, int xOff, float[] w,
                            int wOff, float[] bias, float[] out) {
        int cg = g.channels / groups;
        int og = outCh / groups;
        int inVol = g.in[0] * g.in[1] * g.in[2];
        int cIn = g.channels;
        float[] b = bias != null ? bias : new float[outCh];
        if (cg == 1 && og < kern.mr() / 2) {
            depthwise(kern, g, n, groups, outCh, x, xOff, w, wOff, b, out);
            return;
        }
        BufferCache.Entry cached = BufferCache.floats(BufferCache.key(g, n), Math.multiplyExact(n, g.imageVol));
        float[] buf = (float[]) cached.array;
        if ((long) n * g.imageVol < SERIAL_FILL_ELEMS) {
            for (int i = 0; i < n; i++) g.fill(x, xOff + i * cIn * inVol, buf, i * g.imageVol);
        } else {
            Parallel.forEach(n, i -> g.fill(x, xOff + i * cIn * inVol, buf, i * g.imageVol));
        }
        gemm(kern, g, n, groups, outCh, buf, w, wOff, b, out);
        BufferCache.release(cached);
    }

    /**
     * Channel-wise convolution: each output channel reads one input channel, whose padded phase
     * planes are built in a per-worker buffer that stays in cache (no image-sized buffer).
     */
    private static void depthwise(FloatKernel kern, ConvGeometry g, int n, int groups, int outCh, float[] x, int xOff, float[] w, int wOff,
                                  float[] bias, float[] out) {
        int og = outCh / groups;
        int kVol = g.kernelVol;
        int inVol = g.in[0] * g.in[1] * g.in[2];
        int block = Math.max(1, Math.min(outCh, 16));
        int blocks = (outCh + block - 1) / block;
        int rows = g.out[0] * g.out[1];
        Parallel.forEach(n * blocks, () -> new DepthwiseScratch(kern.depthwisePad(g.wideLen), g.channelVol + ConvGeometry.SLACK),
                (item, s) -> {
                    int img = item / blocks;
                    int o0 = (item % blocks) * block;
                    for (int o = o0; o < Math.min(outCh, o0 + block); o++) {
                        int c = o / og;
                        if (c != s.channel || img != s.image) {
                            g.fillChannel(x, xOff + (img * g.channels + c) * inVol, s.plane, 0);
                            s.channel = c;
                            s.image = img;
                        }
                        kern.depthwise(kVol, w, wOff + o * kVol, bias[o], s.plane, g.tapOffset, 0, g.wideLen, s.wide);
                        int dst = (img * outCh + o) * g.outVol;
                        for (int row = 0; row < rows; row++) {
                            int od = row / g.out[1], oh = row % g.out[1];
                            kern.copy(s.wide, (od * g.phase[1] + oh) * g.phase[2], out, dst + row * g.out[2], g.out[2]);
                        }
                    }
                });
    }

    /** Per-worker scratch of the channel-wise loop: one channel's phase planes and one wide output plane. */
    private static final class DepthwiseScratch {
        final float[] wide;
        final float[] plane;
        int channel = -1;
        int image = -1;

        DepthwiseScratch(int wideLen, int planeLen) {
            wide = new float[wideLen];
            plane = new float[planeLen];
        }
    }

    private static void gemm(FloatKernel kern, ConvGeometry g, int n, int groups, int outCh, float[] buf, float[] w, int wOff,
                             float[] bias, float[] out) {
        int mr = kern.mr();
        int nr = kern.nr();
        int cg = g.channels / groups;
        int og = outCh / groups;
        int kLen = cg * g.kernelVol;
        int rowPanels = (og + mr - 1) / mr;
        // weights packed per (group, row panel): k-major runs of mr values, zero rows past og
        float[] a = new float[Math.multiplyExact(groups * rowPanels, kLen * mr)];
        float[] bp = new float[groups * rowPanels * mr];
        for (int gr = 0; gr < groups; gr++) {
            for (int pi = 0; pi < rowPanels; pi++) {
                int base = (gr * rowPanels + pi) * kLen * mr;
                for (int r = 0; r < mr && pi * mr + r < og; r++) {
                    int o = gr * og + pi * mr + r;
                    bp[(gr * rowPanels + pi) * mr + r] = bias[o];
                    int src = wOff + o * kLen;
                    for (int k = 0; k < kLen; k++) a[base + k * mr + r] = w[src + k];
                }
            }
        }
        int[] koff = g.reductionOffsets(cg);
        int rowTiles = (g.out[2] + nr - 1) / nr;
        if (g.wideLen != g.outVol && kLen <= ROW_MODE_MAX_K && 4 * rowTiles * nr <= 5 * g.out[2]) {
            gemmRows(kern, g, n, groups, outCh, buf, a, bp, koff, kLen, rowPanels, out);
            return;
        }
        int colPanels = (g.wideLen + nr - 1) / nr;
        int ogPad = rowPanels * mr;
        // a chunk of column panels per work item; its wide output block stays under C_BLOCK_ELEMS
        int maxPerChunk = Math.max(1, C_BLOCK_ELEMS / (ogPad * nr));
        int want = (4 * Parallel.threads() + n * groups - 1) / (n * groups);
        int chunks = Math.max(Math.max(1, Math.min(colPanels, want)), (colPanels + maxPerChunk - 1) / maxPerChunk);
        int perChunk = (colPanels + chunks - 1) / chunks;
        int nChunks = (colPanels + perChunk - 1) / perChunk;
        boolean rowOuter = (long) og * kLen * 4 > A_RESIDENT_BYTES;
        // wide positions are the output positions themselves (no padding, stride 1 in h and w)
        boolean exact = g.wideLen == g.outVol;
        // blocks of the reduction, accumulated in the wide output block, keep a tile's B rows in L1;
        // not needed when the row panels stream over a group's whole input that stays in L2
        boolean bResident = (long) cg * g.channelVol * 4 <= B_RESIDENT_BYTES;
        int kBlocks = exact || (rowOuter && bResident) ? 1 : (kLen + K_BLOCK - 1) / K_BLOCK;
        int kStep = (kLen + kBlocks - 1) / kBlocks;
        boolean rowsFirst = rowOuter && kBlocks == 1;
        int cols = perChunk * nr;
        Parallel.forEach(n * groups * nChunks, () -> new Scratch(exact ? mr * nr : ogPad * cols, 3 * (cols + 2)), (item, s) -> {
            int chunk = item % nChunks;
            int gr = (item / nChunks) % groups;
            int img = item / nChunks / groups;
            int p0 = chunk * perChunk;
            int p1 = Math.min(colPanels, p0 + perChunk);
            int bBase = img * g.imageVol + gr * cg * g.channelVol;
            int outBase = (img * outCh + gr * og) * g.outVol;
            int outer = rowsFirst ? rowPanels : p1 - p0;
            int inner = rowsFirst ? p1 - p0 : rowPanels;
            for (int k0 = 0; k0 < kLen; k0 += kStep) {
                int k1 = Math.min(kLen, k0 + kStep);
                float[] init = k0 == 0 ? bp : null;
                for (int u = 0; u < outer; u++) {
                    for (int v = 0; v < inner; v++) {
                        int pi = rowsFirst ? u : v;
                        int p = p0 + (rowsFirst ? v : u);
                        int panel = gr * rowPanels + pi;
                        int aOff = panel * kLen * mr;
                        int j = bBase + p * nr;
                        if (!exact) {
                            kern.gemmTile(k0, k1, a, aOff, init, panel * mr, buf, koff, j, s.c, pi * mr * cols + (p - p0) * nr, cols);
                        } else if (pi * mr + mr <= og && p * nr + nr <= g.wideLen) {
                            kern.gemmTile(k0, k1, a, aOff, init, panel * mr, buf, koff, j, out, outBase + pi * mr * g.outVol + p * nr,
                                    g.outVol);
                        } else {
                            kern.gemmTile(k0, k1, a, aOff, init, panel * mr, buf, koff, j, s.c, 0, nr);
                            int len = Math.min(nr, g.wideLen - p * nr);
                            for (int r = 0; r < Math.min(mr, og - pi * mr); r++) {
                                kern.copy(s.c, r * nr, out, outBase + (pi * mr + r) * g.outVol + p * nr, len);
                            }
                        }
                    }
                }
            }
            if (!exact) {
                int count = g.segments(p0 * nr, Math.min(g.wideLen, p1 * nr), s.segs, 0);
                for (int o = 0; o < og; o++) {
                    int src = o * cols;
                    int dst = outBase + o * g.outVol;
                    for (int q = 0, sq = 0; q < count; q++, sq += 3) {
                        kern.copy(s.c, src + s.segs[sq], out, dst + s.segs[sq + 1], s.segs[sq + 2]);
                    }
                }
            }
        });
    }

    /**
     * The GEMM with tiles aligned to output rows: each tile covers {@code nr} positions of one output
     * row and is stored straight into the output, nothing compacted. A tile that runs past its row's
     * end writes junk into the start of the next row, which the same worker computes next and
     * overwrites; the last row of a work item goes through a scratch tile instead. Chosen for short
     * reductions, where compaction would cost more than the lanes past the row's end.
     */
    private static void gemmRows(FloatKernel kern, ConvGeometry g, int n, int groups, int outCh, float[] buf, float[] a,
                                 float[] bp, int[] koff, int kLen, int rowPanels, float[] out) {
        int mr = kern.mr();
        int nr = kern.nr();
        int cg = g.channels / groups;
        int og = outCh / groups;
        int ow = g.out[2];
        int rowTiles = (ow + nr - 1) / nr;
        int rows = g.out[0] * g.out[1];
        int want = (4 * Parallel.threads() + n * groups - 1) / (n * groups);
        int chunks = Math.max(1, Math.min(rows, want));
        int perChunk = (rows + chunks - 1) / chunks;
        int nChunks = (rows + perChunk - 1) / perChunk;
        Parallel.forEach(n * groups * nChunks, () -> new float[mr * nr], (item, tile) -> {
            int chunk = item % nChunks;
            int gr = (item / nChunks) % groups;
            int img = item / nChunks / groups;
            int bBase = img * g.imageVol + gr * cg * g.channelVol;
            int outBase = (img * outCh + gr * og) * g.outVol;
            int rowEnd = Math.min(rows, (chunk + 1) * perChunk);
            for (int row = chunk * perChunk; row < rowEnd; row++) {
                int wideRow = ((row / g.out[1]) * g.phase[1] + row % g.out[1]) * g.phase[2];
                for (int tx = 0; tx < rowTiles; tx++) {
                    int x0 = tx * nr;
                    int valid = Math.min(nr, ow - x0);
                    int j = bBase + wideRow + x0;
                    int dst = outBase + row * ow + x0;
                    boolean spillSafe = valid == nr || (long) row * ow + x0 + nr <= (long) rowEnd * ow;
                    for (int pi = 0; pi < rowPanels; pi++) {
                        int panel = gr * rowPanels + pi;
                        if (spillSafe && pi * mr + mr <= og) {
                            kern.gemmTile(0, kLen, a, panel * kLen * mr, bp, panel * mr, buf, koff, j, out, dst + pi * mr * g.outVol, g.outVol);
                        } else {
                            kern.gemmTile(0, kLen, a, panel * kLen * mr, bp, panel * mr, buf, koff, j, tile, 0, nr);
                            for (int r = 0; r < Math.min(mr, og - pi * mr); r++) {
                                kern.copy(tile, r * nr, out, dst + (pi * mr + r) * g.outVol, valid);
                            }
                        }
                    }
                }
            }
        });
    }

    /** Per-worker scratch: a wide output block (or one tile) and the output segments of a chunk. */
    private static final class Scratch {
        final float[] c;
        final int[] segs;

        Scratch(int cLen, int segLen) {
            c = new float[cLen];
            segs = new int[segLen];
        }
    }
}
