package org.convinit.lab.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.convinit.data.DataLoader;
import org.convinit.data.ImageDataset;
import org.convinit.nn.Module;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.Optimizer;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * The training loop of {@code convinit train} and of every study cell, the one a PyTorch user writes:
 *
 * <pre>
 * loader = DataLoader(train, batch_size=B, shuffle=True)      # draws from the default generator
 * for epoch in 1..E:
 *     model.train()
 *     for x, y in loader: opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward(); opt.step()
 *     test_loss, test_accuracy = evaluate(model, test)          # eval mode, no grad, batches of 1000
 * </pre>
 *
 * <p>Steps are counted from 1 over the whole run. A loss that is NaN or infinite ends the run: as a
 * {@link Status#DIVERGED} result when {@link Options#stopOnDivergence()}, otherwise with the
 * {@link IllegalStateException} {@code train} has always thrown. With {@link Options#evalEvery()} = N &gt; 0
 * the test set is also evaluated after every N-th step (the {@link Listener#evaluated} callback), which is
 * how a study finds the step a target accuracy is first reached; evaluation draws no random numbers and
 * leaves the model in training mode, so it does not change the training. A float64 model gets its batches as
 * float64 ({@code x.to(dtype)}; {@link ModelInput}).
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /** How a run ended. */
    public enum Status { COMPLETED, DIVERGED, CANCELLED }

    /**
     * {@code epochs} and {@code batchSize} at least 1; {@code evalEvery} 0 (epoch ends only) or a step interval;
     * {@code cancelled} is polled before every step (a cancelled run ends as {@link Status#CANCELLED}).
     */
    public record Options(int epochs, int batchSize, boolean stopOnDivergence, int evalEvery, BooleanSupplier cancelled) {
        public Options {
            if (epochs < 1) throw new IllegalArgumentException("epochs " + epochs + ": expected at least 1");
            if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize + ": expected at least 1");
            if (evalEvery < 0) throw new IllegalArgumentException("evalEvery " + evalEvery + ": expected 0 or more");
            Objects.requireNonNull(cancelled, "cancelled");
        }

        /** {@code epochs} epochs of {@code batchSize}: divergence throws, no step evaluations, never cancelled. */
        public static Options of(int epochs, int batchSize) {
            return new Options(epochs, batchSize, false, 0, () -> false);
        }

        public Options stopOnDivergence(boolean stop) {
            return new Options(epochs, batchSize, stop, evalEvery, cancelled);
        }

        public Options evalEvery(int steps) {
            return new Options(epochs, batchSize, stopOnDivergence, steps, cancelled);
        }

        public Options cancelled(BooleanSupplier c) {
            return new Options(epochs, batchSize, stopOnDivergence, evalEvery, c);
        }
    }

    /** Test-set loss (mean cross-entropy) and accuracy. */
    public record Evaluation(double loss, double accuracy) {}

    /** One finished epoch: mean train loss over its batches (weighted by batch size), then the test evaluation. */
    public record Epoch(int epoch, double trainLoss, double testLoss, double testAccuracy, double seconds, double trainSeconds) {}

    /**
     * The run: its status, the step (from 1) whose loss was not finite (0 unless diverged), every step's
     * loss in order (the non-finite one last when diverged) and the finished epochs.
     */
    public record Result(Status status, long divergedAtStep, double[] stepLosses, List<Epoch> epochs) {
        public Result {
            stepLosses = stepLosses.clone();
            epochs = List.copyOf(epochs);
        }

        @Override
        public double[] stepLosses() {
            return stepLosses.clone();
        }
    }

    /** What the loop reports as it goes; every method has an empty default. */
    public interface Listener {
        /** Before the first batch of an epoch. */
        default void epochStarted(int epoch) {}

        /** After {@link #epochStarted} of a run resumed in the middle of an epoch: the state it continues from. */
        default void resumed(TrainState state) {}

        /** After each optimizer step: the step (from 1), its batch size and its loss. */
        default void batch(int epoch, long step, int size, double loss) {}

        /** After the last batch of an epoch (or the one that ended the run), before the epoch's evaluation. */
        default void epochTrained(int epoch) {}

        /** After a step evaluation ({@link Options#evalEvery()}). */
        default void evaluated(long step, Evaluation e) {}

        /** After an epoch's evaluation. */
        default void epochEnded(Epoch e) {}
    }

    /** The listener that does nothing. */
    public static final Listener SILENT = new Listener() {};

    /**
     * Trains {@code model} on {@code train} with {@code optimizer}, evaluating on {@code test}. The loader is
     * created here and draws from the calling thread's default generator when each epoch starts.
     */
    public static Result run(Module model, Optimizer<?> optimizer, ImageDataset train, ImageDataset test, Options options,
            Listener listener) {
        return run(model, optimizer, train, test, options, listener, null, null);
    }

    /**
     * {@link #run(Module, Optimizer, ImageDataset, ImageDataset, Options, Listener)} that saves its position through
     * {@code checkpointing} (null: never) after every {@link Checkpointing#every()}-th step (0: none) and at every epoch's end,
     * and starts from {@code from} (null: the beginning) — a state saved by a run with the same arguments, whose model
     * and optimizer state are already loaded ({@link Checkpointing#resume}). The default generator is set to the
     * state's, the epoch's permutation drawn again from the state the epoch began with and its trained batches
     * skipped, so that the run continues exactly as the interrupted one would have; the result holds the step losses
     * and epochs of the whole run.
     */
    public static Result run(Module model, Optimizer<?> optimizer, ImageDataset train, ImageDataset test, Options options,
            Listener listener, Checkpointing checkpointing, TrainState from) {
        DataLoader<ImageDataset.Batch> loader = new DataLoader<>(train, DataLoader.Options.of(options.batchSize()).shuffle(true));
        Generator rng = Generator.defaultGenerator();
        List<Double> losses = new ArrayList<>();
        List<Epoch> epochs = new ArrayList<>();
        long step = 0;
        int first = 1;
        if (from != null) {
            for (double l : from.stepLosses()) losses.add(l);
            epochs.addAll(from.epochs());
            step = from.step();
            first = from.epoch();
        }
        for (int epoch = first; epoch <= options.epochs(); epoch++) {
            long t0 = System.nanoTime();
            model.train(true);
            double lossSum = 0;
            int seen = 0;
            int batch = 0;
            listener.epochStarted(epoch);
            byte[] epochRng = checkpointing == null ? null : rng.getState();
            Iterator<ImageDataset.Batch> it;
            if (from != null && epoch == from.epoch()) {
                epochRng = from.epochRng();
                rng.setState(epochRng);
                it = loader.iterator();
                if (from.batch() > 0) { // the same permutation again; its first batches are trained already
                    for (batch = 0; batch < from.batch(); batch++) it.next();
                    rng.setState(from.rng());
                }
                lossSum = from.lossSum();
                seen = from.seen();
                t0 -= (long) (from.trainSeconds() * 1e9);
                if (batch > 0) listener.resumed(from);
            } else {
                it = loader.iterator();
            }
            try {
                while (it.hasNext()) {
                    ImageDataset.Batch b = it.next();
                    if (options.cancelled().getAsBoolean()) return new Result(Status.CANCELLED, 0, unbox(losses), epochs);
                    optimizer.zeroGrad();
                    Tensor loss = Losses.crossEntropy(model.forward(ModelInput.of(model, b.images())), b.labels());
                    loss.backward();
                    optimizer.step();
                    double l = loss.item();
                    step++;
                    batch++;
                    losses.add(l);
                    if (!Double.isFinite(l)) {
                        if (options.stopOnDivergence()) return new Result(Status.DIVERGED, step, unbox(losses), epochs);
                        throw new IllegalStateException("training diverged in epoch " + epoch + ": loss is " + l
                                + " (try a smaller --lr or another --init)");
                    }
                    lossSum += l * b.size();
                    seen += b.size();
                    listener.batch(epoch, step, b.size(), l);
                    if (options.evalEvery() > 0 && step % options.evalEvery() == 0) {
                        listener.evaluated(step, evaluate(model, test, test.size()));
                        model.train(true);
                    }
                    if (checkpointing != null && checkpointing.every() > 0 && step % checkpointing.every() == 0 && batch < loader.numBatches()) {
                        checkpointing.save(model, optimizer, new TrainState(epoch, batch, step, epochRng, rng.getState(), lossSum,
                                seen, (System.nanoTime() - t0) / 1e9, unbox(losses), epochs));
                    }
                }
            } finally {
                listener.epochTrained(epoch);
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            Evaluation eval = evaluate(model, test, test.size());
            Epoch e = new Epoch(epoch, lossSum / seen, eval.loss(), eval.accuracy(), (System.nanoTime() - t0) / 1e9, trainSeconds);
            epochs.add(e);
            listener.epochEnded(e);
            if (checkpointing != null) {
                byte[] now = rng.getState();
                checkpointing.save(model, optimizer, new TrainState(epoch + 1, 0, step, now, now, 0, 0, 0, unbox(losses), epochs));
            }
        }
        return new Result(Status.COMPLETED, 0, unbox(losses), epochs);
    }

    /** Test loss and accuracy over the first {@code n} examples, in eval mode, batches of 1000, no graph. */
    public static Evaluation evaluate(Module model, ImageDataset test, int n) {
        return Evaluator.evaluate(model, test, n);
    }

    private static double[] unbox(List<Double> xs) {
        double[] a = new double[xs.size()];
        for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
        return a;
    }
}
