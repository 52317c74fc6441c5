package org.convinit.nn;

import java.util.Map;

import org.convinit.nn.functional.F;
import org.convinit.nn.functional.kernels.FastBatchNorm;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torch's {@code _BatchNorm}: per-channel normalization of {@code [N, C, *]}.
 *
 * <ul>
 *   <li>Parameters (when {@code affine}): {@code weight} = 1, {@code bias} = 0, shape {@code [C]};
 *       nothing is drawn from a generator.</li>
 *   <li>Buffers (when {@code track_running_stats}): {@code running_mean} = 0, {@code running_var} = 1,
 *       {@code num_batches_tracked} = 0 (int64, 0-dim).</li>
 *   <li>Training: batch mean and biased variance normalize; {@code num_batches_tracked += 1}; the
 *       running statistics move with {@code momentum} (or, for {@code momentum=None}, the cumulative
 *       average {@code 1/num_batches_tracked}) using the unbiased variance.</li>
 *   <li>Evaluation: the running statistics normalize (the batch's if they are not tracked).</li>
 * </ul>
 */
public abstract class BatchNormNd extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /**
     * @param momentum null for torch's {@code momentum=None} (cumulative moving average)
     */
    protected BatchNormNd(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        String cls = getClass().getSimpleName();
        if (numFeatures <= 0) throw new IllegalArgumentException(cls + ": num_features (" + numFeatures + ") must be positive");
        if (!(eps > 0)) throw new IllegalArgumentException(cls + ": eps (" + eps + ") must be positive");
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(cls + ": momentum (" + momentum + ") must be between 0 and 1, or null for a cumulative average");
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException(cls + ": dtype " + dtype + ": expected float32 or float64");
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        weight = registerParameter("weight", affine ? new Parameter(Tensor.ones(dtype, numFeatures)) : null);
        bias = registerParameter("bias", affine ? new Parameter(Tensor.zeros(dtype, numFeatures)) : null);
        runningMean = registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(dtype, numFeatures) : null);
        runningVar = registerBuffer("running_var", trackRunningStats ? Tensor.ones(dtype, numFeatures) : null);
        numBatchesTracked = registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.of(new long[] {0}) : null);
    }

    /**
     * torch's {@code _NormBase._load_from_state_dict}: a state dict saved before version 2 (torch 0.4.1), or with no
     * version recorded (a plain dict without {@code _metadata}), gets {@code num_batches_tracked = 0} where it has none.
     */
    @Override
    protected void upgradeStateDict(String prefix, Integer version, Map<String, Tensor> stateDict) {
        if ((version == null || version < 2) && trackRunningStats) stateDict.putIfAbsent(prefix + "num_batches_tracked", Tensor.of(new long[] {0}));
    }

    /** The input ranks this layer accepts, e.g. {@code {2, 3}} for BatchNorm1d. */
    protected abstract int[] acceptedRanks();

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, false);
    }

    /**
     * {@code relu(forward(input))} ({@link Sequential} runs a BatchNorm followed by a ReLU so): a float32 input with
     * more than one value per channel goes through {@link FastBatchNorm}'s fused pass (the same values, one node),
     * anything else through the two ops.
     */
    Tensor forwardRelu(Tensor input) {
        return forward(input, true);
    }

    private Tensor forward(Tensor input, boolean relu) {
        int[] ranks = acceptedRanks();
        boolean ok = false;
        for (int r : ranks) ok |= input.dim() == r;
        if (!ok) {
            String exp = ranks.length == 1 ? ranks[0] + "D" : ranks[0] + "D or " + ranks[1] + "D";
            throw new IllegalArgumentException(name() + ": expected " + exp + " input (got " + input.dim() + "D input of size "
                    + input.shape() + ")");
        }
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(name() + "(" + numFeatures + "): expected input with " + numFeatures
                    + " channels at dim 1, but got input of size " + input.shape());
        }
        long perChannel = input.numel() / numFeatures;
        if (isTraining() && perChannel <= 1) { // checked before num_batches_tracked moves
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + input.shape());
        }
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            long n = numBatchesTracked.storage().getLong(numBatchesTracked.storageOffset()) + 1;
            numBatchesTracked.storage().setLong(numBatchesTracked.storageOffset(), n);
            if (momentum == null) factor = 1.0 / n;
        }
        boolean useBatch = isTraining() || runningMean == null;
        Tensor rm = !isTraining() || trackRunningStats ? runningMean : null;
        Tensor rv = !isTraining() || trackRunningStats ? runningVar : null;
        if (relu && input.dtype() == DType.FLOAT32 && perChannel > 1) {
            return FastBatchNorm.batchNorm(LayerKernels.floats(), input, rm, rv, weight, bias, useBatch, useBatch, factor, eps, true);
        }
        Tensor y = F.batchNorm(input, rm, rv, weight, bias, useBatch, factor, eps);
        return relu ? F.relu(y) : y;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** The running mean buffer, or null without {@code track_running_stats}. */
    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    public int numFeatures() {
        return numFeatures;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum))
                + ", affine=" + Repr.pyBool(affine) + ", track_running_stats=" + Repr.pyBool(trackRunningStats);
    }
}
