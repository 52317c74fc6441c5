package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.convinit.lab.study.Preset;
import org.convinit.lab.study.Scheme;
import org.convinit.nn.Module;
import org.convinit.nn.WeightLayer;
import org.convinit.tensor.DType;
import org.junit.jupiter.api.Test;

class StudyInputsTest {
    @Test
    void initsSplitOnSemicolonsOutsideQuotesAndBrackets() {
        assertThat(StudyInputs.splitInits("default; kaiming_normal_(mode='fan_out', nonlinearity='relu');xavier_uniform_; ;"))
                .containsExactly("default", "kaiming_normal_(mode='fan_out', nonlinearity='relu')", "xavier_uniform_");
        assertThat(StudyInputs.splitInits("constant_(val=1); file:a;b.pt")).containsExactly("constant_(val=1)", "file:a", "b.pt");
        assertThat(StudyInputs.splitInits("normal_(std=0.1) ; uniform_(a=-1, b=';')")).containsExactly("normal_(std=0.1)", "uniform_(a=-1, b=';')");
    }

    @Test
    void schemes() {
        assertThat(StudyInputs.scheme("default")).isSameAs(Scheme.DEFAULT);
        assertThat(StudyInputs.scheme("nn.init.orthogonal_").name()).isEqualTo("nn.init.orthogonal_");
        assertThatThrownBy(() -> StudyInputs.scheme("kaiming")).hasMessageContaining("--inits scheme 'kaiming'")
                .hasMessageContaining("unknown init function");
        assertThatThrownBy(() -> StudyInputs.scheme("file:")).hasMessageContaining("expected file:PATH");
        assertThatThrownBy(() -> StudyInputs.scheme("file:/nonexistent/w.safetensors")).hasMessageContaining("/nonexistent/w.safetensors");
    }

    @Test
    void presetModelsBuildWithTheirDepth() {
        for (Preset.NamedModel m : Preset.he2015().models()) {
            Module built = Layers.build(m.expr(), DType.FLOAT32);
            long weightLayers = built.modules().stream().filter(x -> x instanceof WeightLayer).count();
            assertThat("plain" + weightLayers).isEqualTo(m.name());
            assertThat(built.parameters().size()).isEqualTo((int) weightLayers + 1);
        }
        assertThat(Layers.build(Preset.DEFAULT_CNN, DType.FLOAT32).parameters()).hasSize(6);
        assertThatThrownBy(() -> Preset.named("he2016")).hasMessage("--preset he2016: unknown; known presets: he2015, default");
    }
}
