package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.data.ImageDataset;
import org.convinit.lab.train.TrainingLoop;
import org.convinit.nn.Module;
import org.convinit.optim.Optimizer;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * Runs one cell, a deterministic function of (model, scheme, seed, config, data). Inside its own default
 * generator ({@link Generator#withDefault}), exactly as {@code convinit train --seed S --init FN} does:
 *
 * <pre>
 * torch.manual_seed(seed); model = MODEL; scheme(model)
 * diagnosis = diagnose(model, first B training images)   # own generator; the model's state restored after
 * opt = SGD(model.parameters(), lr, momentum=0.9) | Adam(model.parameters(), lr)
 * loader = DataLoader(train, batch_size, shuffle=True)   # the same seed: the same batches for every scheme
 * train, evaluating the test set every evalInterval steps and after each epoch
 * </pre>
 *
 * A non-finite loss ends the cell as diverged; any exception ends it as failed (the study goes on).
 */
public final class CellRunner {
    private CellRunner() {}

    /** Per-step progress of a running cell. */
    @FunctionalInterface
    public interface StepListener {
        void step(Cell cell, long step, long totalSteps);

        StepListener NONE = (cell, step, total) -> {};
    }

    /** Runs {@code cell}; {@code cancelled} (polled before each step) turns an unfinished cell into {@link CellResult#notRun}. */
    public static CellResult run(Cell cell, StudyData data, StudyConfig config, Diagnoser diagnoser, BooleanSupplier cancelled,
            StepListener steps) {
        long t0 = System.nanoTime();
        if (cancelled.getAsBoolean()) return CellResult.notRun(cell);
        try {
            return Generator.withDefault(new Generator(0), () -> {
                Generator.manualSeed(cell.seed());
                Module model = cell.model().build();
                cell.scheme().apply(model);
                ObjectNode diagnosis = diagnose(cell, model, data, config, diagnoser);
                Optimizer<?> opt = config.optimizer().create(model.parameters(), config.lr());
                return train(cell, model, opt, data, config, cancelled, steps, diagnosis, t0);
            });
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
            return new CellResult(cell, CellResult.Status.FAILED, null, msg, null, new double[0], List.of(), List.of(), null,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    private static CellResult train(Cell cell, Module model, Optimizer<?> opt, StudyData data, StudyConfig config,
            BooleanSupplier cancelled, StepListener steps, ObjectNode diagnosis, long t0) {
        int perEpoch = (data.train().size() + config.batchSize() - 1) / config.batchSize();
        long total = (long) perEpoch * config.epochs();
        List<CellResult.StepEvaluation> evals = new ArrayList<>();
        long[] target = {-1};
        long[] current = {0};
        TrainingLoop.Listener listener = new TrainingLoop.Listener() {
            @Override
            public void batch(int epoch, long step, int size, double loss) {
                current[0] = step;
                steps.step(cell, step, total);
            }

            @Override
            public void evaluated(long step, TrainingLoop.Evaluation e) {
                record(step, e.loss(), e.accuracy());
            }

            @Override
            public void epochEnded(TrainingLoop.Epoch e) {
                if (evals.isEmpty() || evals.get(evals.size() - 1).step() != current[0]) record(current[0], e.testLoss(), e.testAccuracy());
            }

            private void record(long step, double loss, double accuracy) {
                evals.add(new CellResult.StepEvaluation(step, loss, accuracy));
                if (target[0] < 0 && accuracy >= config.targetAccuracy()) target[0] = step;
            }
        };
        TrainingLoop.Options options = TrainingLoop.Options.of(config.epochs(), config.batchSize()).stopOnDivergence(true)
                .evalEvery(config.evalInterval(perEpoch)).cancelled(cancelled);
        TrainingLoop.Result r = TrainingLoop.run(model, opt, data.train(), data.test(), options, listener);
        if (r.status() == TrainingLoop.Status.CANCELLED) return CellResult.notRun(cell);
        boolean diverged = r.status() == TrainingLoop.Status.DIVERGED;
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK, diverged ? r.divergedAtStep() : null,
                null, diagnosis, r.stepLosses(), r.epochs(), evals, target[0] < 0 ? null : target[0], (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The diagnosis at init, drawing from its own generator (seeded with the cell's seed) so that it changes
     * nothing the training draws; parameters and buffers (BatchNorm's running statistics) are restored and
     * gradients cleared after it.
     */
    private static ObjectNode diagnose(Cell cell, Module model, StudyData data, StudyConfig config, Diagnoser diagnoser) {
        if (diagnoser == Diagnoser.NONE) return null;
        Map<String, Tensor> saved = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> saved.put(k, v.detach().clone()));
        ImageDataset.Batch batch = data.firstTrainingBatch(config.diagnoseBatch());
        String source = data.source() + " (train, " + data.train().size() + " images)";
        ObjectNode doc = Generator.withDefault(new Generator(cell.seed()), () -> diagnoser.diagnose(cell, model, batch, source));
        model.loadStateDict(saved, true);
        model.zeroGrad(true);
        model.train(true);
        return doc;
    }
}
