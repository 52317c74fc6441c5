package org.convinit.lab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.convinit.data.ImageDataset;
import org.convinit.io.CheckpointException;
import org.convinit.lab.study.StudyFixtures;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Dropout;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.optim.Optimizer;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A run interrupted after any step and resumed from its last checkpoint (in a "new process": the default generator
 * reseeded and the model built again, as {@code train} does) ends with the uninterrupted run's weights, optimizer
 * state, step losses and epoch metrics, bit for bit. The model has dropout (drawing from the default generator) and
 * batch norm (running statistics); 100 examples in batches of 32 (a short last batch), three epochs.
 */
class ResumeTest {
    private static final ImageDataset TRAIN = StudyFixtures.images(100, 5);
    private static final ImageDataset TEST = StudyFixtures.images(40, 6);
    private static final Map<String, String> ARGS = Map.of("--model", "dropout-cnn", "--seed", "3");

    @TempDir
    Path dir;

    record Run(Map<String, Tensor> weights, Map<String, Tensor> optimizer, TrainingLoop.Result result) {}

    static Module model() {
        return new Sequential(new Conv2d(1, 4, 3, ConvOptions.DEFAULT.stride(2)), new BatchNorm2d(4), new ReLU(), new Dropout(0.3),
                new Flatten(), new Linear(676, 10));
    }

    /** A fresh process's run: seeded, model built, then resumed from {@code from} (if given) with checkpoints to {@code file}. */
    static Run run(OptimizerKind kind, Path file, Path from, int every, int stopAfter) {
        return Generator.withDefault(new Generator(99), () -> {
            Generator.manualSeed(3);
            Module m = model();
            Optimizer<?> opt = kind.create(m.parameters(), kind.defaultLr());
            TrainState state = null;
            try {
                if (from != null) state = Checkpointing.resume(from, m, opt, ARGS);
            } catch (CheckpointException e) {
                throw new AssertionError(e);
            }
            AtomicInteger polls = new AtomicInteger();
            TrainingLoop.Options o = TrainingLoop.Options.of(3, 32).cancelled(() -> polls.incrementAndGet() > stopAfter);
            TrainingLoop.Result r = TrainingLoop.run(m, opt, TRAIN, TEST, o, TrainingLoop.SILENT,
                    file == null ? null : new Checkpointing(file, every, ARGS), state);
            return new Run(copy(m.stateDict()), opt.stateDict(), r);
        });
    }

    static Map<String, Tensor> copy(Map<String, Tensor> sd) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        sd.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    static void assertSame(Run got, Run want) {
        assertThat(got.result().status()).isEqualTo(TrainingLoop.Status.COMPLETED);
        assertThat(got.result().stepLosses()).containsExactly(want.result().stepLosses());
        assertThat(got.result().epochs()).hasSameSizeAs(want.result().epochs());
        for (int i = 0; i < want.result().epochs().size(); i++) {
            TrainingLoop.Epoch g = got.result().epochs().get(i);
            TrainingLoop.Epoch w = want.result().epochs().get(i);
            assertThat(List.of(g.epoch(), g.trainLoss(), g.testLoss(), g.testAccuracy()))
                    .isEqualTo(List.of(w.epoch(), w.trainLoss(), w.testLoss(), w.testAccuracy()));
        }
        assertBitsEqual(got.weights(), want.weights());
        assertBitsEqual(got.optimizer(), want.optimizer());
    }

    static void assertBitsEqual(Map<String, Tensor> got, Map<String, Tensor> want) {
        assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
        for (String k : want.keySet()) {
            assertThat(got.get(k).dtype()).as(k).isEqualTo(want.get(k).dtype());
            assertThat(got.get(k).contiguous().toDoubleArray()).as(k).containsExactly(want.get(k).contiguous().toDoubleArray());
        }
    }

    /** Stopped when step {@code stopAfter + 1} was about to run, with a checkpoint every {@code every} steps. */
    @ParameterizedTest(name = "{0}, checkpoint every {1}, stopped after step {2}")
    @CsvSource({"SGD, 1, 1", "SGD, 1, 4", "SGD, 2, 6", "SGD, 3, 11", "ADAM, 1, 2", "ADAM, 1, 4", "ADAM, 2, 7", "ADAM, 5, 9"})
    void resumedRunEqualsTheUninterruptedOne(OptimizerKind kind, int every, int stopAfter) {
        Run want = run(kind, null, null, 1, Integer.MAX_VALUE);
        Path file = dir.resolve("ck.pth");
        Run cut = run(kind, file, null, every, stopAfter);
        assertThat(cut.result().status()).isEqualTo(TrainingLoop.Status.CANCELLED);
        assertSame(run(kind, file, file, every, Integer.MAX_VALUE), want);
        assertSame(run(kind, null, file, every, Integer.MAX_VALUE), want); // the final checkpoint: nothing left to train
    }

    @Test
    void checkpointingChangesNothing() {
        Run plain = run(OptimizerKind.ADAM, null, null, 1, Integer.MAX_VALUE);
        assertSame(run(OptimizerKind.ADAM, dir.resolve("every-step.pth"), null, 1, Integer.MAX_VALUE), plain);
    }

    @Test
    void refusesOtherArgumentsAnotherModelAndDamage() throws Exception {
        Path file = dir.resolve("ck.pth");
        run(OptimizerKind.SGD, file, null, 2, 3);
        Module m = model();
        Optimizer<?> sgd = OptimizerKind.SGD.create(m.parameters(), 0.01);
        assertThatThrownBy(() -> Checkpointing.resume(file, m, sgd, Map.of("--model", "dropout-cnn", "--seed", "4")))
                .hasMessage("--resume " + file + ": the checkpoint was written by a run with --seed 3, not --seed 4; resume with the same arguments");
        assertThatThrownBy(() -> Checkpointing.resume(file, m, sgd, Map.of("--model", "dropout-cnn")))
                .hasMessageContaining("a run with --seed 3, not without --seed");
        Module other = StudyFixtures.tiny().build();
        assertThatThrownBy(() -> Checkpointing.resume(file, other, OptimizerKind.SGD.create(other.parameters(), 0.01), ARGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its model does not fit");
        assertThatThrownBy(() -> Checkpointing.resume(file, m, OptimizerKind.ADAM.create(m.parameters(), 0.01), ARGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optimizer state dict does not fit this Adam");
        Path plain = dir.resolve("weights.pth");
        org.convinit.io.Checkpoints.write(plain, m.stateDict());
        assertThatThrownBy(() -> Checkpointing.resume(plain, m, sgd, ARGS))
                .hasMessage("--resume " + plain + ": not a checkpoint of convinit train (no format 'convinit.train-checkpoint' entry)");
        byte[] bytes = Files.readAllBytes(file);
        bytes[indexOf(bytes, "archive/data/7".getBytes()) + 500] ^= 0x40; // inside the linear layer's weight
        Path damaged = dir.resolve("damaged.pth");
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> Checkpointing.resume(damaged, m, sgd, ARGS)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("record 'archive/data/7' (tensor 'model.5.weight')").hasMessageContaining("is damaged");
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
