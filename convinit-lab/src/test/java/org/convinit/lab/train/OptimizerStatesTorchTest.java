package org.convinit.lab.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.convinit.io.pth.PthWriter;
import org.convinit.nn.Parameter;
import org.convinit.optim.Adam;
import org.convinit.optim.AdamW;
import org.convinit.optim.Optimizer;
import org.convinit.optim.SGD;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * The optimizer entry of a train checkpoint is what torch's {@code optimizer.state_dict()} returns after the same
 * steps: the same parameters and gradients (five steps, parameter 1 without a gradient in step 3) go through the
 * convinit optimizer and the torch one built from the same constructor call; torch compares its state dict with
 * convinit's (keys and their order, every tensor bit for bit with its dtype, every hyperparameter), then loads
 * convinit's into a fresh optimizer with {@code load_state_dict} and takes one more step like the original.
 */
class OptimizerStatesTorchTest {
    @TempDir
    Path dir;

    static final Map<String, String> TORCH = Map.of(
            "sgd", "torch.optim.SGD(ps, lr=0.05, momentum=0.9)",
            "sgd-nesterov", "torch.optim.SGD(ps, lr=0.05, momentum=0.8, weight_decay=0.01, nesterov=True)",
            "adam", "torch.optim.Adam(ps, lr=0.01)",
            "adam-amsgrad", "torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.1)",
            "adamw", "torch.optim.AdamW(ps, lr=0.01)");

    static final Map<String, Function<List<Parameter>, Optimizer<?>>> CONVINIT = Map.of(
            "sgd", ps -> new SGD(ps, SGD.options(0.05).momentum(0.9)),
            "sgd-nesterov", ps -> new SGD(ps, SGD.options(0.05).momentum(0.8).weightDecay(0.01).nesterov(true)),
            "adam", ps -> new Adam(ps, Adam.options().lr(0.01)),
            "adam-amsgrad", ps -> new Adam(ps, Adam.options().lr(0.01).betas(0.8, 0.99).amsgrad(true).weightDecay(0.1)),
            "adamw", ps -> new AdamW(ps, AdamW.options().lr(0.01)));

    @Test
    void theCheckpointsOptimizerEntryIsTorchsStateDict() throws Exception {
        Torch.require();
        Map<String, Object> root = new LinkedHashMap<>();
        StringBuilder makers = new StringBuilder("makers = {}\n");
        for (String name : new java.util.TreeSet<>(TORCH.keySet())) {
            root.put(name, run(name));
            makers.append("makers['").append(name).append("'] = lambda ps: ").append(TORCH.get(name)).append('\n');
        }
        Path file = dir.resolve("opt.pth");
        PthWriter.write(file, root);
        String out = Torch.run(String.join("\n",
                "import sys, torch",
                makers.toString(),
                "def same(a, b, at):",
                "    if isinstance(a, torch.Tensor):",
                "        assert isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b), at",
                "    elif isinstance(a, dict):",
                "        assert isinstance(b, dict) and list(a.keys()) == list(b.keys()), (at, list(a.keys()), list(b.keys()))",
                "        for k in a: same(a[k], b[k], at + '.' + str(k))",
                "    elif isinstance(a, (list, tuple)):",
                "        assert isinstance(b, (list, tuple)) and len(a) == len(b), at",
                "        for i, (x, y) in enumerate(zip(a, b)): same(x, y, at + '.' + str(i))",
                "    else:",
                "        assert a == b and type(a) in (type(b), int, float), (at, a, b)",
                "for name, d in torch.load(sys.argv[1]).items():",
                "    make = makers[name]",
                "    ps = [torch.nn.Parameter(t.clone()) for t in d['initial']]",
                "    opt = make(ps)",
                "    for gs in d['grads']:",
                "        for p, g in zip(ps, gs): p.grad = None if g is None else g.clone()",
                "        opt.step()",
                "    same(opt.state_dict(), d['ours'], name + ': state_dict')",
                "    qs = [torch.nn.Parameter(p.detach().clone()) for p in ps]",
                "    again = make(qs)",
                "    again.load_state_dict(d['ours'])",
                "    for p, q in zip(ps, qs):",
                "        p.grad = torch.ones_like(p); q.grad = torch.ones_like(q)",
                "    opt.step(); again.step()",
                "    assert all(torch.equal(p, q) for p, q in zip(ps, qs)), name + ': a step after load_state_dict'",
                "    print(name, 'ok', len(opt.state_dict()['state']))"), file.toString());
        assertThat(out.strip().lines()).containsExactly("adam ok 3", "adam-amsgrad ok 3", "adamw ok 3", "sgd ok 3", "sgd-nesterov ok 3");
    }

    /** Five steps of the convinit optimizer {@code name}: its initial parameters, the gradients and its state in torch's layout. */
    static Map<String, Object> run(String name) {
        Generator g = new Generator(15);
        int[][] shapes = {{4, 3}, {5}, {2, 2, 3}};
        List<Parameter> ps = new ArrayList<>();
        List<Object> initial = new ArrayList<>();
        for (int[] s : shapes) {
            Tensor t = Tensor.zeros(DType.FLOAT32, s);
            g.fillUniform(t.storage().floats(), 0, (int) t.numel(), -1, 1);
            initial.add(t.clone());
            ps.add(new Parameter(t));
        }
        Optimizer<?> opt = CONVINIT.get(name).apply(ps);
        List<Object> grads = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            List<Object> gs = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                Tensor grad = null;
                if (i != 1 || step != 2) {
                    grad = Tensor.zeros(DType.FLOAT32, shapes[i]);
                    g.fillUniform(grad.storage().floats(), 0, (int) grad.numel(), -2, 2);
                }
                ps.get(i).setGrad(grad == null ? null : grad.clone());
                gs.add(grad);
            }
            opt.step();
            grads.add(gs);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("initial", initial);
        root.put("grads", grads);
        root.put("ours", OptimizerStates.torchLayout(opt));
        return root;
    }
}
