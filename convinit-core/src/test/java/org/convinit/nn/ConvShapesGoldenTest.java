package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * Weight, bias and output shapes, and the printed module, for a table of configurations computed by
 * torch 1.13.1 (tools/golden/gen_conv.py), including the ones users get wrong: transposed weights
 * {@code [in, out/groups, *k]} with groups, 'same' with even kernels and dilation, output padding.
 */
class ConvShapesGoldenTest {

    @Test
    void shapesAndReprsMatchTorch() {
        JsonNode cases = Golden.load("conv_shapes.json").get("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(40);
        for (JsonNode c : cases) {
            Module m = Specs.build(c.get("spec"), DType.FLOAT32, new Generator(0));
            m.eval();
            String what = c.get("repr").asText() + " on " + c.get("input");
            assertThat(m.toString()).as(what).isEqualTo(c.get("repr").asText());
            Tensor y = m.forward(Tensor.zeros(DType.FLOAT32, Golden.ints(c.get("input"))));
            assertThat(y.shape()).as(what).isEqualTo(Shape.of(Golden.ints(c.get("output"))));
            assertThat(shapeOf(m, "weight")).as(what).isEqualTo(c.get("weight").isNull() ? null : Shape.of(Golden.ints(c.get("weight"))));
            assertThat(shapeOf(m, "bias")).as(what).isEqualTo(c.get("bias").isNull() ? null : Shape.of(Golden.ints(c.get("bias"))));
        }
    }

    static Shape shapeOf(Module m, String key) {
        Tensor t = m.stateDict().get(key);
        return t == null ? null : t.shape();
    }
}
