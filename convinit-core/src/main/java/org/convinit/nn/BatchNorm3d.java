package org.convinit.nn;

import org.convinit.tensor.DType;

/** {@code torch.nn.BatchNorm3d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)}: input {@code [N, C, D, H, W]} (see {@link BatchNormNd}). */
public final class BatchNorm3d extends BatchNormNd {

    public BatchNorm3d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    /** {@code momentum} null means torch's {@code momentum=None}. */
    public BatchNorm3d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        super(numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    protected int[] acceptedRanks() {
        return new int[] {5};
    }
}
