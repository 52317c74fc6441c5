package org.convinit.nn.functional;

import org.convinit.tensor.Tensor;

/**
 * {@code F.pixel_shuffle} and {@code F.pixel_unshuffle} (Shi et al. 2016, sub-pixel convolution) as a view, a permute
 * and a reshape, so autograd differentiates them (the gradient of one is the other applied to the gradient):
 * <pre>
 * pixel_shuffle:   [*, C·r², H, W] → view [*, C, r, r, H, W] → permute [*, C, H, r, W, r] → [*, C, H·r, W·r]
 * pixel_unshuffle: [*, C, H·r, W·r] → view [*, C, H, r, W, r] → permute [*, C, r, r, H, W] → [*, C·r², H, W]
 * </pre>
 * Output channel c, pixel (h·r + i, w·r + j) of pixel_shuffle is input channel {@code c·r² + i·r + j}, pixel (h, w).
 */
final class PixelShuffling {
    private PixelShuffling() {}

    static Tensor shuffle(Tensor x, int r) {
        int n = checked(x, r, "pixel_shuffle", "upscale_factor");
        int c = x.size(n - 3);
        if (c % (r * r) != 0) {
            throw new IllegalArgumentException("pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
                    + "square of upscale_factor, but input.size(-3)=" + c + " is not divisible by " + (r * r));
        }
        int h = x.size(n - 2);
        int w = x.size(n - 1);
        int b = n - 3;
        int[] split = new int[b + 5];
        for (int d = 0; d < b; d++) split[d] = x.size(d);
        split[b] = c / (r * r);
        split[b + 1] = r;
        split[b + 2] = r;
        split[b + 3] = h;
        split[b + 4] = w;
        int[] perm = batchPerm(b, new int[] {0, 3, 1, 4, 2});
        return x.reshape(split).permute(perm).reshape(out(x, b, c / (r * r), h * r, w * r));
    }

    static Tensor unshuffle(Tensor x, int r) {
        int n = checked(x, r, "pixel_unshuffle", "downscale_factor");
        int c = x.size(n - 3);
        int h = x.size(n - 2);
        int w = x.size(n - 1);
        if (h % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects height to be divisible by downscale_factor, but "
                    + "input.size(-2)=" + h + " is not divisible by " + r);
        }
        if (w % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects width to be divisible by downscale_factor, but "
                    + "input.size(-1)=" + w + " is not divisible by " + r);
        }
        int b = n - 3;
        int[] split = new int[b + 5];
        for (int d = 0; d < b; d++) split[d] = x.size(d);
        split[b] = c;
        split[b + 1] = h / r;
        split[b + 2] = r;
        split[b + 3] = w / r;
        split[b + 4] = r;
        int[] perm = batchPerm(b, new int[] {0, 2, 4, 1, 3});
        return x.reshape(split).permute(perm).reshape(out(x, b, c * r * r, h / r, w / r));
    }

    /** torch's checks common to both: a positive factor and at least 3 dims; returns the rank. */
    private static int checked(Tensor x, int r, String fn, String factor) {
        if (r <= 0) throw new IllegalArgumentException(fn + " expects a positive " + factor + ", but got " + r);
        int n = x.dim();
        if (n < 3) {
            throw new IllegalArgumentException(fn + " expects input to have at least 3 dimensions, but got input with " + n
                    + " dimension(s)");
        }
        return n;
    }

    /** The batch dims in place, then {@code tail} shifted by the batch rank. */
    private static int[] batchPerm(int b, int[] tail) {
        int[] p = new int[b + tail.length];
        for (int d = 0; d < b; d++) p[d] = d;
        for (int d = 0; d < tail.length; d++) p[b + d] = b + tail[d];
        return p;
    }

    private static int[] out(Tensor x, int b, int c, int h, int w) {
        int[] s = new int[b + 3];
        for (int d = 0; d < b; d++) s[d] = x.size(d);
        s[b] = c;
        s[b + 1] = h;
        s[b + 2] = w;
        return s;
    }
}
