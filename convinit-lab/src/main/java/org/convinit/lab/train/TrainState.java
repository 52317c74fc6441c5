package org.convinit.lab.train;

import java.util.List;

/**
 * Where a run of {@link TrainingLoop} stands at a batch boundary, everything besides the model and the
 * optimizer that an interrupted run needs to continue exactly as if it had never stopped:
 *
 * <ul>
 * <li>{@code epoch} (from 1) and {@code batch}, the batches of that epoch already trained (0: the epoch has not
 *     started; {@code epoch} = epochs + 1 once the run is over), and {@code step}, the steps of the whole run;</li>
 * <li>{@code epochRng}, the default generator's state ({@code torch.get_rng_state()} layout) when the epoch began,
 *     before the loader drew its base seed and the seed of the epoch's permutation: replaying the loader from it
 *     gives the same permutation; and {@code rng}, its state now (what dropout and the next epoch draw from);</li>
 * <li>the running sums of the epoch ({@code lossSum} of loss × batch size over {@code seen} examples, and the
 *     {@code trainSeconds} spent so far), every step's loss so far and the finished epochs.</li>
 * </ul>
 */
public record TrainState(int epoch, int batch, long step, byte[] epochRng, byte[] rng, double lossSum, int seen,
        double trainSeconds, double[] stepLosses, List<TrainingLoop.Epoch> epochs) {

    public TrainState {
        if (epoch < 1) throw new IllegalArgumentException("epoch " + epoch + ": expected at least 1");
        if (batch < 0 || seen < 0) throw new IllegalArgumentException("batch " + batch + ", seen " + seen + ": expected 0 or more");
        if (step != stepLosses.length) {
            throw new IllegalArgumentException("step " + step + " but " + stepLosses.length + " step losses: expected one per step");
        }
        if (epochs.size() != epoch - 1) {
            throw new IllegalArgumentException("epoch " + epoch + " but " + epochs.size() + " finished epochs: expected " + (epoch - 1));
        }
        epochRng = epochRng.clone();
        rng = rng.clone();
        stepLosses = stepLosses.clone();
        epochs = List.copyOf(epochs);
    }

    @Override
    public byte[] epochRng() {
        return epochRng.clone();
    }

    @Override
    public byte[] rng() {
        return rng.clone();
    }

    @Override
    public double[] stepLosses() {
        return stepLosses.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainState s && epoch == s.epoch && batch == s.batch && step == s.step
                && java.util.Arrays.equals(epochRng, s.epochRng) && java.util.Arrays.equals(rng, s.rng)
                && Double.compare(lossSum, s.lossSum) == 0 && seen == s.seen && Double.compare(trainSeconds, s.trainSeconds) == 0
                && java.util.Arrays.equals(stepLosses, s.stepLosses) && epochs.equals(s.epochs);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(epoch, batch, step, java.util.Arrays.hashCode(rng), seen);
    }

    @Override
    public String toString() {
        return "TrainState[epoch " + epoch + ", batch " + batch + ", step " + step + ", " + seen + " examples seen]";
    }
}
