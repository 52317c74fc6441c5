package org.convinit.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * float64 parameters ({@code model.double()}): 20 steps of each optimizer against torch 1.13.1 at test time, on
 * parameters and gradients that are exact binary fractions in both; the results are compared bit for bit
 * (printed by torch as {@code float.hex}).
 */
class Float64OptimizerTest {
    private static final int[][] SHAPES = {{3, 4}, {5}};
    private static final int STEPS = 20;

    /** The Java twin of the Python constructor {@code config} over {@code ps}. */
    private static Optimizer<?> build(String config, List<Parameter> ps) {
        switch (config) {
            case "SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)":
                return new SGD(ps, SGD.options(0.1).momentum(0.9).dampening(0.1).weightDecay(0.01));
            case "SGD(ps, lr=0.05, momentum=0.9, nesterov=True, maximize=True)":
                return new SGD(ps, SGD.options(0.05).momentum(0.9).nesterov(true).maximize(true));
            case "SGD(ps, lr=0.3)":
                return new SGD(ps, SGD.options(0.3));
            case "Adam(ps, lr=0.01, weight_decay=0.01, amsgrad=True)":
                return new Adam(ps, Adam.options().lr(0.01).weightDecay(0.01).amsgrad(true));
            case "Adam(ps, lr=0.002, betas=(0.8, 0.99), maximize=True)":
                return new Adam(ps, Adam.options().lr(0.002).betas(0.8, 0.99).maximize(true));
            case "AdamW(ps, lr=0.01, weight_decay=0.1)":
                return new AdamW(ps, AdamW.options().lr(0.01).weightDecay(0.1));
            default:
                throw new AssertionError(config);
        }
    }

    /** Element k of parameter j before training, and of its gradient at step s: exact in binary. */
    private static double initial(int j, int k) {
        return ((k * 5 + j * 3) % 11 - 5) / 4.0;
    }

    private static double grad(int j, int k, int s) {
        return ((k * 7 + s * 13 + j) % 17 - 8) / 8.0;
    }

    @ParameterizedTest
    @ValueSource(strings = {"SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)",
        "SGD(ps, lr=0.05, momentum=0.9, nesterov=True, maximize=True)", "SGD(ps, lr=0.3)",
        "Adam(ps, lr=0.01, weight_decay=0.01, amsgrad=True)", "Adam(ps, lr=0.002, betas=(0.8, 0.99), maximize=True)",
        "AdamW(ps, lr=0.01, weight_decay=0.1)"})
    void twentyStepsEqualTorchBitForBit(String config) {
        Torch.require();
        String out = Torch.run(String.join("\n",
                "import sys, torch",
                "from torch.optim import SGD, Adam, AdamW",
                "shapes = [(3, 4), (5,)]",
                "ps = []",
                "for j, sh in enumerate(shapes):",
                "    n = 1",
                "    for d in sh: n *= d",
                "    ps.append(torch.nn.Parameter(torch.tensor([((k * 5 + j * 3) % 11 - 5) / 4.0 for k in range(n)], dtype=torch.float64).reshape(sh)))",
                "opt = " + config,
                "for s in range(" + STEPS + "):",
                "    for j, p in enumerate(ps):",
                "        p.grad = torch.tensor([((k * 7 + s * 13 + j) % 17 - 8) / 8.0 for k in range(p.numel())], dtype=torch.float64).reshape(p.shape)",
                "    opt.step()",
                "for p in ps:",
                "    print(' '.join(float(x).hex() for x in p.detach().reshape(-1)))",
                "    st = opt.state[p]",
                "    print(' '.join(str(v.dtype) for k, v in sorted(st.items()) if v is not None))"));
        List<Parameter> ps = new ArrayList<>();
        for (int j = 0; j < SHAPES.length; j++) {
            int n = 1;
            for (int d : SHAPES[j]) n *= d;
            double[] v = new double[n];
            for (int k = 0; k < n; k++) v[k] = initial(j, k);
            ps.add(new Parameter(Tensor.of(v, SHAPES[j])));
        }
        Optimizer<?> opt = build(config, ps);
        for (int s = 0; s < STEPS; s++) {
            for (int j = 0; j < ps.size(); j++) {
                double[] g = new double[(int) ps.get(j).numel()];
                for (int k = 0; k < g.length; k++) g[k] = grad(j, k, s);
                ps.get(j).setGrad(Tensor.of(g, SHAPES[j]));
            }
            opt.step();
        }
        String[] lines = out.stripLeading().split("\n", -1);
        for (int j = 0; j < ps.size(); j++) {
            String[] expected = lines[2 * j].split(" ");
            double[] mine = ps.get(j).toDoubleArray();
            for (int k = 0; k < mine.length; k++) {
                assertThat(Double.doubleToLongBits(mine[k])).as("%s: parameter %d element %d: %s vs torch %s", config, j, k,
                        Double.toHexString(mine[k]), expected[k]).isEqualTo(Double.doubleToLongBits(hex(expected[k])));
            }
            List<String> dtypes = new ArrayList<>();
            opt.state(ps.get(j)).entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> dtypes.add(e.getValue().dtype().toString()));
            assertThat(String.join(" ", dtypes)).as("state dtypes").isEqualTo(lines[2 * j + 1].strip());
        }
        assertThat(ps.get(0).dtype()).isEqualTo(DType.FLOAT64);
    }

    /** Python's float.hex ({@code 0x1.8p-1}, {@code -0x0.0p+0}) as a double. */
    private static double hex(String s) {
        return Double.parseDouble(s.replace("0x0.0p+0", "0x0.0p0"));
    }
}
