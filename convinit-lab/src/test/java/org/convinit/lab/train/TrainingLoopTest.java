package org.convinit.lab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.convinit.data.ImageDataset;
import org.convinit.lab.study.StudyFixtures;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.junit.jupiter.api.Test;

/** The shared loop: divergence as a result or as train's error, callbacks in order, step evaluations change nothing, cancellation. */
class TrainingLoopTest {
    private static final ImageDataset TRAIN = StudyFixtures.images(96, 5);
    private static final ImageDataset TEST = StudyFixtures.images(40, 6);

    private static <T> T seeded(Supplier<T> body) {
        return Generator.withDefault(new Generator(0), () -> {
            Generator.manualSeed(3);
            return body.get();
        });
    }

    private static TrainingLoop.Result train(boolean diverging, OptimizerKind opt, double lr, TrainingLoop.Options o,
            TrainingLoop.Listener l) {
        return seeded(() -> {
            Module m = (diverging ? StudyFixtures.deep() : StudyFixtures.tiny()).build();
            if (diverging) StudyFixtures.NORMAL_10.apply(m);
            return TrainingLoop.run(m, opt.create(m.parameters(), lr), TRAIN, TEST, o, l);
        });
    }

    @Test
    void divergenceIsAResultWhenAskedAndTrainsErrorOtherwise() {
        TrainingLoop.Result r = train(true, OptimizerKind.SGD, 0.05, TrainingLoop.Options.of(2, 32).stopOnDivergence(true), TrainingLoop.SILENT);
        assertThat(r.status()).isEqualTo(TrainingLoop.Status.DIVERGED);
        assertThat(r.divergedAtStep()).isEqualTo(r.stepLosses().length);
        assertThat(Double.isFinite(r.stepLosses()[r.stepLosses().length - 1])).isFalse();
        assertThat(r.epochs()).isEmpty();
        assertThatThrownBy(() -> train(true, OptimizerKind.SGD, 0.05, TrainingLoop.Options.of(2, 32), TrainingLoop.SILENT))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("training diverged in epoch 1: loss is NaN");
    }

    @Test
    void callbacksComeInOrderAndStepEvaluationsChangeNothing() {
        List<String> events = new ArrayList<>();
        TrainingLoop.Listener log = new TrainingLoop.Listener() {
            @Override
            public void epochStarted(int epoch) {
                events.add("start " + epoch);
            }

            @Override
            public void evaluated(long step, TrainingLoop.Evaluation e) {
                events.add("eval " + step);
            }

            @Override
            public void epochEnded(TrainingLoop.Epoch e) {
                events.add("end " + e.epoch());
            }
        };
        double[] with = train(false, OptimizerKind.ADAM, 0.001, TrainingLoop.Options.of(2, 32).evalEvery(2), log).stepLosses();
        double[] without = train(false, OptimizerKind.ADAM, 0.001, TrainingLoop.Options.of(2, 32), TrainingLoop.SILENT).stepLosses();
        assertThat(with).hasSize(6).containsExactly(without);
        assertThat(events).containsExactly("start 1", "eval 2", "end 1", "start 2", "eval 4", "eval 6", "end 2");
        TrainingLoop.Result cancelled = train(false, OptimizerKind.SGD, 0.01, TrainingLoop.Options.of(2, 32).cancelled(() -> true),
                TrainingLoop.SILENT);
        assertThat(cancelled.status()).isEqualTo(TrainingLoop.Status.CANCELLED);
        assertThat(cancelled.stepLosses()).isEmpty();
    }

    @Test
    void optimizerNames() {
        assertThat(OptimizerKind.parse("adam")).isEqualTo(OptimizerKind.ADAM);
        assertThat(OptimizerKind.SGD.defaultLr()).isEqualTo(0.01);
        assertThatThrownBy(() -> OptimizerKind.parse("rmsprop")).hasMessage("--optimizer rmsprop: expected sgd or adam");
    }
}
