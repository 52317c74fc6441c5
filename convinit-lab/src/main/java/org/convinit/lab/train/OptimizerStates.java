package org.convinit.lab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.optim.AdamOptions;
import org.convinit.optim.AdamW;
import org.convinit.optim.Optimizer;
import org.convinit.optim.OptimizerOptions;
import org.convinit.optim.ParamGroup;
import org.convinit.optim.SGD;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * An optimizer's state between convinit's flat {@link Optimizer#stateDict()} ({@code state.0.exp_avg},
 * {@code param_groups.0.lr}) and the nested dict torch's {@code optimizer.state_dict()} returns, which torch's
 * {@code optimizer.load_state_dict} accepts: {@code {'state': {0: {'exp_avg': T, ...}}, 'param_groups':
 * [{'lr': 0.001, 'betas': [0.9, 0.999], ..., 'params': [0, 1, ...]}]}} with torch 1.13.1's keys per group.
 */
final class OptimizerStates {
    private OptimizerStates() {}

    /** {@code optimizer.state_dict()} as torch 1.13.1 lays it out. */
    static Map<String, Object> torchLayout(Optimizer<?> optimizer) {
        Map<String, Tensor> flat = optimizer.stateDict();
        Map<Long, Map<String, Object>> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : flat.entrySet()) {
            String[] parts = e.getKey().split("\\.");
            if (parts[0].equals("state")) {
                state.computeIfAbsent(Long.parseLong(parts[1]), k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
            }
        }
        List<Object> groups = new ArrayList<>();
        long index = 0;
        for (ParamGroup<?> g : optimizer.paramGroups()) {
            Map<String, Object> group = hyperparameters(optimizer instanceof AdamW, g.options());
            if (!Double.isNaN(g.initialLr())) group.put("initial_lr", g.initialLr());
            List<Object> params = new ArrayList<>();
            for (int i = 0; i < g.params().size(); i++) params.add(index++);
            group.put("params", params);
            groups.add(group);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", groups);
        return out;
    }

    /** A group's hyperparameters under torch 1.13.1's keys, in its order ({@code adamW}: AdamW's, which differ a little from Adam's). */
    static Map<String, Object> hyperparameters(boolean adamW, OptimizerOptions<?> options) {
        Map<String, Object> g = new LinkedHashMap<>();
        if (options instanceof SGD.Options o) {
            g.put("lr", o.lr());
            g.put("momentum", o.momentum());
            g.put("dampening", o.dampening());
            g.put("weight_decay", o.weightDecay());
            g.put("nesterov", o.nesterov());
            g.put("maximize", o.maximize());
            g.put("foreach", null);
            g.put("differentiable", false);
        } else if (options instanceof AdamOptions o) {
            g.put("lr", o.lr());
            g.put("betas", Arrays.asList(o.beta1(), o.beta2()));
            g.put("eps", o.eps());
            g.put("weight_decay", o.weightDecay());
            g.put("amsgrad", o.amsgrad());
            if (adamW) {
                g.put("foreach", null);
                g.put("maximize", o.maximize());
                g.put("capturable", false);
            } else {
                g.put("maximize", o.maximize());
                g.put("foreach", null);
                g.put("capturable", false);
                g.put("differentiable", false);
                g.put("fused", false);
            }
        } else {
            g.put("lr", options.lr());
        }
        return g;
    }

    /** The flat state dict {@link Optimizer#loadStateDict} takes, from the nested layout; what is not a dict of tensors is refused. */
    @SuppressWarnings("unchecked")
    static Map<String, Tensor> flat(Map<String, Object> nested, String where) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> p : Checkpointing.asMap(nested, "state", where + "optimizer ").entrySet()) {
            if (!(p.getValue() instanceof Map)) throw new IllegalArgumentException(where + "optimizer state " + p.getKey() + " is not a dict");
            for (Map.Entry<String, Object> e : ((Map<String, Object>) p.getValue()).entrySet()) {
                if (!(e.getValue() instanceof Tensor t)) {
                    throw new IllegalArgumentException(where + "optimizer state " + p.getKey() + "." + e.getKey() + " is not a tensor");
                }
                out.put("state." + p.getKey() + "." + e.getKey(), t);
            }
        }
        List<Object> groups = ResumeReader.list(nested, "param_groups", where + "optimizer ");
        for (int i = 0; i < groups.size(); i++) {
            if (!(groups.get(i) instanceof Map)) throw new IllegalArgumentException(where + "optimizer param group " + i + " is not a dict");
            Map<String, Object> g = (Map<String, Object>) groups.get(i);
            for (String key : List.of("lr", "initial_lr")) {
                Object v = g.get(key);
                if (v instanceof Double d) out.put("param_groups." + i + "." + key, Tensor.full(DType.FLOAT64, d));
                else if (v != null || key.equals("lr")) throw new IllegalArgumentException(where + "optimizer param group " + i + " has no float " + key);
            }
        }
        return out;
    }
}
