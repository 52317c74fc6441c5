package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** Forward, pre- and full backward hooks on modules, against torch's hooks on the same model. */
class HooksTest {

    private static Sequential model() {
        int[] k3 = {3, 3};
        return new Sequential(new Conv2d(2, 4, k3, ConvOptions.DEFAULT.groups(2), DType.FLOAT64, null),
                new BatchNorm2d(4, 1e-5, 0.1, true, true, DType.FLOAT64), new ReLU(),
                new Conv2d(4, 3, k3, ConvOptions.DEFAULT, DType.FLOAT64, null), new Tanh(), new Flatten(),
                new Linear(12, 5, true, DType.FLOAT64, null));
    }

    /** Per leaf: output, grad_output and grad_input seen by the hooks, in the order the hooks fired. */
    private static Map<String, Tensor> observe(boolean inputRequiresGrad) {
        Generator.manualSeed(0);
        Sequential m = model();
        Tensor x = Tensor.empty(DType.FLOAT64, 2, 2, 6, 6).uniform_(0, 1).requiresGrad(inputRequiresGrad);
        Map<String, Tensor> seen = new LinkedHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        for (Map.Entry<String, Module> e : m.namedModules().entrySet()) {
            if (!e.getValue().namedChildren().isEmpty()) continue;
            String name = e.getKey();
            handles.add(e.getValue().registerForwardHook((mod, in, out) -> {
                seen.put("out " + name, out.detach());
                return null;
            }));
            handles.add(e.getValue().registerFullBackwardHook((mod, gIn, gOut) -> {
                seen.put("gout " + name, gOut);
                seen.put("gin " + name, gIn);
                return null;
            }));
        }
        m.call(x).pow(2).sum().backward();
        handles.forEach(HookHandle::remove);
        return seen;
    }

    @Test
    void hooksSeeWhatTorchHooksSee() {
        Torch.require();
        for (boolean rg : new boolean[] {false, true}) {
            Map<String, Tensor> mine = observe(rg);
            String out = Torch.run(String.join("\n",
                    "import sys, torch",
                    "torch.manual_seed(0)",
                    "d = torch.float64",
                    "m = torch.nn.Sequential(torch.nn.Conv2d(2, 4, 3, groups=2, dtype=d), torch.nn.BatchNorm2d(4, dtype=d),",
                    "    torch.nn.ReLU(), torch.nn.Conv2d(4, 3, 3, dtype=d), torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(12, 5, dtype=d))",
                    "x = torch.rand(2, 2, 6, 6, dtype=d).requires_grad_(sys.argv[1] == 'True')",
                    "seen = []",
                    "def pr(k, v): seen.append(k + ':' + ('None' if v is None else ' '.join(a.hex() for a in v.flatten().tolist())))",
                    "for name, mod in m.named_modules():",
                    "    if len(list(mod.children())): continue",
                    "    mod.register_forward_hook(lambda mod, i, o, n=name: pr('out ' + n, o.detach()))",
                    "    def bw(mod, gi, go, n=name): pr('gout ' + n, go[0]); pr('gin ' + n, gi[0])",
                    "    mod.register_full_backward_hook(bw)",
                    "m(x).pow(2).sum().backward()",
                    "print('\\n'.join(seen))"), Boolean.toString(rg).equals("true") ? "True" : "False");
            List<String> keysInTorchOrder = new ArrayList<>();
            for (String line : out.strip().split("\n")) {
                String key = line.substring(0, line.indexOf(':'));
                String vals = line.substring(line.indexOf(':') + 1);
                keysInTorchOrder.add(key);
                assertThat(mine).as("rg=%s: convinit's hooks saw %s", rg, key).containsKey(key);
                Tensor t = mine.get(key);
                if (vals.equals("None")) {
                    assertThat(t).as("rg=%s %s", rg, key).isNull();
                    continue;
                }
                assertThat(t).as("rg=%s %s", rg, key).isNotNull();
                String[] parts = vals.split(" ");
                double[] v = t.toDoubleArray();
                assertThat(v).as("rg=%s %s", rg, key).hasSize(parts.length);
                for (int i = 0; i < v.length; i++) {
                    double e = Double.parseDouble(parts[i]);
                    assertThat(Math.abs(v[i] - e)).as("rg=%s %s[%d]: %s vs torch %s", rg, key, i, v[i], e)
                            .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(e)));
                }
            }
            assertThat(new ArrayList<>(mine.keySet())).as("hooks fire in torch's order").isEqualTo(keysInTorchOrder);
        }
    }

    @Test
    void hooksReplaceValuesAndAreRemovable() {
        Generator.manualSeed(1);
        Linear lin = new Linear(3, 2, true, DType.FLOAT64, null);
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 1, 3).requiresGrad(true);
        Tensor plain = lin.forward(x).detach();

        HookHandle pre = lin.registerForwardPreHook((m, in) -> in.mul(2));
        HookHandle post = lin.registerForwardHook((m, in, out) -> out.add(1));
        Tensor hooked = lin.call(x);
        Tensor expected = lin.forward(x.mul(2)).add(1).detach();
        assertThat(hooked.toDoubleArray()).containsExactly(expected.toDoubleArray());
        assertThat(lin.forward(x).toDoubleArray()).as("forward() runs no hooks").containsExactly(plain.toDoubleArray());
        pre.remove();
        post.close();
        post.remove(); // twice is harmless
        assertThat(lin.call(x).toDoubleArray()).containsExactly(plain.toDoubleArray());

        try (HookHandle bw = lin.registerFullBackwardHook((m, gIn, gOut) -> gIn.mul(10))) {
            lin.call(x).sum().backward();
        }
        double[] scaled = x.grad().toDoubleArray();
        x.setGrad(null);
        lin.call(x).sum().backward();
        double[] unscaled = x.grad().toDoubleArray();
        for (int i = 0; i < 3; i++) assertThat(scaled[i]).isEqualTo(10 * unscaled[i]);
    }

    @Test
    void backwardHooksAreNotWiredWithoutGrad() {
        Linear lin = new Linear(3, 2, true, DType.FLOAT64, null);
        int[] calls = {0};
        lin.registerFullBackwardHook((m, gIn, gOut) -> {
            calls[0]++;
            return null;
        });
        Tensor y;
        try (var g = GradMode.noGrad()) {
            y = lin.call(Tensor.ones(DType.FLOAT64, 1, 3));
        }
        assertThat(y.requiresGrad()).isFalse();
        lin.call(Tensor.ones(DType.FLOAT64, 1, 3)).sum().backward();
        assertThat(calls[0]).as("input without grad: the hook runs once, from the output's gradient").isEqualTo(1);
    }

    @Test
    void scopedDefaultGeneratorIsPerThreadAndRestored() throws Exception {
        Generator.manualSeed(5);
        double outside = Tensor.empty(DType.FLOAT64, 1).uniform_(0, 1).item();
        Generator.manualSeed(5);
        double[] inside = new double[2];
        Thread other = new Thread(() -> Generator.withDefault(new Generator(0), () -> {
            Generator.manualSeed(5);
            inside[1] = Tensor.empty(DType.FLOAT64, 1).uniform_(0, 1).item();
            return null;
        }));
        other.start();
        other.join();
        inside[0] = Generator.withDefault(new Generator(99), () -> {
            Generator.manualSeed(5);
            return Tensor.empty(DType.FLOAT64, 1).uniform_(0, 1).item();
        });
        assertThat(inside).containsExactly(outside, outside);
        // the process default was neither reseeded nor advanced by the scoped draws: it gives its first draw now
        assertThat(Tensor.empty(DType.FLOAT64, 1).uniform_(0, 1).item()).isEqualTo(outside);
    }
}
