package org.convinit.lab.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.convinit.autograd.GradMode;
import org.convinit.init.Fans;
import org.convinit.nn.HookHandle;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.WeightLayer;
import org.convinit.nn.functional.Losses;
import org.convinit.tensor.Tensor;

/**
 * {@code convinit diagnose}: runs one batch forward and backward through a model at init and measures every leaf
 * module, through forward hooks (its output) and full backward hooks (the loss gradient with respect to the output),
 * as one would in PyTorch:
 *
 * <pre>
 * model.train(); h = [m.register_forward_hook(...), m.register_full_backward_hook(...) for leaf m]
 * loss = F.cross_entropy(model(x), y); loss.backward()
 * </pre>
 *
 * The model is left as it was: hooks removed, every parameter's {@code grad} restored (the one this run computed is
 * discarded), buffers (BatchNorm's running statistics) restored, each module's training mode restored. A Dropout layer
 * draws from the default generator, as in torch.
 */
public final class Diagnose {
    /** The learning rate of the SGD step {@code update_ratio} describes. */
    public static final double UPDATE_LR = 0.01;

    private Diagnose() {}

    /** Leaf modules (no children) with their {@code named_modules()} names, in module order. */
    public static Map<String, Module> leaves(Module model) {
        Map<String, Module> out = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (m.namedChildren().isEmpty()) out.put(name, m);
        });
        return out;
    }

    /** Diagnoses {@code model} on {@code batch}; {@code modelText} and {@code init} are recorded as given. */
    public static Diagnosis run(Module model, String modelText, Diagnosis.InitInfo init, DiagnoseBatch batch) {
        Map<String, Module> leaves = leaves(model);
        Map<Module, Forward> outputs = new ConcurrentHashMap<>();
        Map<Module, Double> gradOutputStd = new ConcurrentHashMap<>();
        List<HookHandle> handles = new ArrayList<>();
        Map<Module, Boolean> modes = new LinkedHashMap<>();
        for (Module m : model.modules()) modes.put(m, m.isTraining());
        Map<Parameter, Tensor> savedGrads = new LinkedHashMap<>();
        Map<String, Tensor> savedBuffers = new LinkedHashMap<>();
        model.namedBuffers().forEach((k, v) -> savedBuffers.put(k, v.detach().clone()));
        double loss;
        try {
            for (Parameter p : model.parameters()) {
                savedGrads.put(p, p.grad());
                p.setGrad(null);
            }
            for (Module m : leaves.values()) {
                handles.add(m.registerForwardHook((mod, in, out) -> {
                    outputs.put(mod, Forward.of(mod, out)); // measured now: a later in-place op cannot change it
                    return null;
                }));
                handles.add(m.registerFullBackwardHook((mod, gradIn, gradOut) -> {
                    if (gradOut != null) gradOutputStd.put(mod, Summary.std(gradOut.detach().toDoubleArray()));
                    return null;
                }));
            }
            model.train(true);
            Tensor l = Losses.crossEntropy(model.call(batch.images()), batch.labels());
            loss = l.item();
            l.backward();
            List<LayerStats> layers = new ArrayList<>();
            for (Map.Entry<String, Module> e : leaves.entrySet()) layers.add(measure(e.getKey(), e.getValue(), outputs, gradOutputStd));
            layers = Theory.apply(layers, new ArrayList<>(leaves.values()));
            return new Diagnosis(modelText, init, Diagnosis.BatchInfo.of(batch), loss, layers, Verdict.of(layers));
        } finally {
            for (HookHandle h : handles) h.remove();
            savedGrads.forEach(Parameter::setGrad);
            Map<String, Tensor> live = model.namedBuffers();
            try (var g = GradMode.noGrad()) {
                savedBuffers.forEach((k, v) -> live.get(k).copy_(v));
            }
            // pre-order: a parent's train(mode) reaches its children, which are set after it
            modes.forEach(Module::train);
        }
    }

    /** What the forward hook measured of one output. */
    private record Forward(Summary summary, Histogram histogram) {
        static final Forward NONE = of(null, null);

        static Forward of(Module m, Tensor out) {
            double[] y = out == null ? new double[0] : out.detach().toDoubleArray();
            Summary.Saturation rule = m == null ? Summary.Saturation.NONE : Summary.Saturation.forType(m.name());
            return new Forward(Summary.of(y, rule), Histogram.of(y));
        }
    }

    private static LayerStats measure(String name, Module m, Map<Module, Forward> outputs, Map<Module, Double> gradOutputStd) {
        Forward f = outputs.getOrDefault(m, Forward.NONE);
        Double g = gradOutputStd.get(m);
        Double gradStd = g == null ? null : finite(g);
        Parameter w = ownWeight(m);
        Double wgn = null;
        Double ratio = null;
        if (w != null && w.grad() != null) {
            double gn = norm(w.grad().toDoubleArray());
            wgn = finite(gn);
            ratio = finite(UPDATE_LR * gn / norm(w.detach().toDoubleArray()));
        }
        Long fanIn = m instanceof WeightLayer ? Fans.of(((WeightLayer) m).weight().shape()).fanIn() : null;
        return new LayerStats(name, m.name(), f.summary(), f.histogram(), gradStd, wgn, ratio, fanIn, null, null, null);
    }

    /** The module's own {@code weight} parameter (conv, linear, affine norm), or null. */
    private static Parameter ownWeight(Module m) {
        if (m instanceof WeightLayer) return ((WeightLayer) m).weight();
        return m.namedParameters().get("weight");
    }

    static double norm(double[] v) {
        double ss = 0;
        for (double x : v) ss += x * x;
        return Math.sqrt(ss);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
