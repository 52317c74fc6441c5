package org.convinit.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.convinit.Warnings;
import org.convinit.autograd.GradMode;
import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Base of the optimizers ({@code torch.optim.Optimizer}): parameter groups, per-parameter state and
 * {@code zero_grad}. {@link #step()} visits every parameter whose {@code grad} is set, group by group
 * in order, and updates it in place through its storage with the float32 operations of torch's single-tensor
 * ({@code foreach=False}) CPU code, fused into one pass per parameter ({@link UpdateKernels}) that reads the
 * gradient where it is and allocates nothing per element. Parameters without a gradient are skipped and
 * their state is left alone.
 *
 * <p>Parameters (and their gradients) are float32 or float64; a float64 parameter is updated with the same
 * operations in float64 ({@link UpdateKernels}' {@code sgd64}/{@code adam64}), as torch's CPU code does for a
 * {@code model.double()}, its state is float64 too (Adam's {@code step} stays a float32 scalar, as in torch).
 */
public abstract class Optimizer<O extends OptimizerOptions<O>> {
    private final List<ParamGroup<O>> groups;
    private final Map<Parameter, Map<String, Tensor>> state = new IdentityHashMap<>();
    private long stepCount;

    protected Optimizer(List<ParamGroup<O>> groups) {
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.params().isEmpty())) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int index = 0;
        for (ParamGroup<O> g : groups) {
            g.options().validate();
            Set<Parameter> inGroup = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Parameter p : g.params()) {
                if (!inGroup.add(p)) {
                    Warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, "
                            + "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information");
                } else if (!seen.add(p)) {
                    throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
                if (p.dtype() != DType.FLOAT32 && p.dtype() != DType.FLOAT64) {
                    throw new IllegalArgumentException("parameter " + index + " of dtype " + p.dtype()
                            + " and shape " + p.shape() + ": expected float32 or float64 (convinit's optimizers compute in those)");
                }
                index++;
            }
        }
        this.groups = List.copyOf(groups);
    }

    static <O extends OptimizerOptions<O>> List<ParamGroup<O>> oneGroup(List<Parameter> params, O options) {
        return List.of(new ParamGroup<>(params, options));
    }

    /** The parameter groups, in order ({@code optimizer.param_groups}). */
    public List<ParamGroup<O>> paramGroups() {
        return groups;
    }

    /** Number of {@link #step()} calls so far (schedulers use it to warn about a wrong call order). */
    public long stepCount() {
        return stepCount;
    }

    /** One optimization step over every parameter that has a gradient. */
    public final void step() {
        stepCount++;
        for (ParamGroup<O> g : groups) {
            O options = g.options();
            for (Parameter p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (grad.dtype() != p.dtype() || !grad.shape().equals(p.shape())) {
                    throw new IllegalArgumentException("grad of dtype " + grad.dtype() + " and shape " + grad.shape() + " for a "
                            + p.dtype().torchName() + " parameter of shape " + p.shape() + ": expected " + p.dtype().torchName() + " of the same shape");
                }
                Map<String, Tensor> st = state.computeIfAbsent(p, k -> new LinkedHashMap<>());
                if (p.dtype() == DType.FLOAT64) {
                    F64 param = F64.of(p);
                    update(param, F64.of(grad), options, st, p);
                    param.writeBack();
                } else {
                    F32 param = F32.of(p);
                    update(param, F32.of(grad), options, st, p);
                    param.writeBack();
                }
                p.storage().bumpVersion(); // an in-place change, as param.add_ is in torch: saved copies go stale
            }
        }
    }

    /**
     * Updates one parameter in place. {@code grad} is its gradient's elements (the gradient's own storage when
     * contiguous), read only; {@code state} is the parameter's state map (empty before its first update), keyed
     * by torch's state names.
     */
    abstract void update(F32 param, F32 grad, O options, Map<String, Tensor> state, Parameter p);

    /** {@link #update(F32, F32, OptimizerOptions, Map, Parameter)} for a float64 parameter, in float64. */
    abstract void update(F64 param, F64 grad, O options, Map<String, Tensor> state, Parameter p);

    /** The state names this optimizer keeps per parameter (for {@link #loadStateDict}). */
    abstract Set<String> stateNames();

    /** The state names a parameter that has state must have under {@code options}. */
    Set<String> requiredState(O options) {
        return Set.of();
    }

    /** {@code zero_grad()} of torch 1.13: {@code set_to_none=False}, gradients are zeroed in place. */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /**
     * {@code zero_grad(set_to_none)}: with {@code true} every gradient is dropped ({@code grad = None});
     * with {@code false} (torch 1.13's default) existing gradients are zeroed in place.
     */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup<O> g : groups) {
            for (Parameter p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    try (var noGrad = GradMode.noGrad()) {
                        grad.detach().zero_();
                    }
                }
            }
        }
    }

    /** The state of {@code p} ({@code optimizer.state[p]}), read-only; empty before its first update. */
    public Map<String, Tensor> state(Parameter p) {
        Map<String, Tensor> st = state.get(p);
        return st == null ? Map.of() : Collections.unmodifiableMap(st);
    }

    /**
     * A copy of the optimizer's state as flat tensors, in torch's packing: parameters are numbered
     * across groups in order, state entries are {@code state.<index>.<name>} (e.g. {@code state.0.exp_avg},
     * {@code state.0.step} as a 0-dim float32), and each group's learning rate is {@code param_groups.<g>.lr}
     * (0-dim float64; also {@code initial_lr} once a scheduler set it). Other hyperparameters are not stored.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int index = 0;
        for (ParamGroup<O> g : groups) {
            for (Parameter p : g.params()) {
                Map<String, Tensor> st = state.get(p);
                if (st != null) {
                    for (Map.Entry<String, Tensor> e : st.entrySet()) out.put("state." + index + "." + e.getKey(), e.getValue().clone());
                }
                index++;
            }
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            out.put("param_groups." + gi + ".lr", Tensor.full(DType.FLOAT64, groups.get(gi).lr()));
            double initial = groups.get(gi).initialLr();
            if (!Double.isNaN(initial)) out.put("param_groups." + gi + ".initial_lr", Tensor.full(DType.FLOAT64, initial));
        }
        return out;
    }

    /**
     * Replaces the state with a {@link #stateDict()} of an optimizer of the same kind over parameters of
     * the same shapes. Everything is checked before anything changes: unknown keys, parameter indices out
     * of range, and tensors of the wrong shape or dtype are refused.
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        List<Parameter> all = new ArrayList<>();
        for (ParamGroup<O> g : groups) all.addAll(g.params());
        Map<Parameter, Map<String, Tensor>> loaded = new IdentityHashMap<>();
        double[] lrs = new double[groups.size()];
        double[] initial = new double[groups.size()];
        java.util.Arrays.fill(lrs, Double.NaN);
        java.util.Arrays.fill(initial, Double.NaN);
        Set<String> problems = new TreeSet<>();
        for (Map.Entry<String, Tensor> e : dict.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            String[] parts = key.split("\\.", -1);
            int idx = parts.length == 3 ? parseIndex(parts[1]) : -1;
            if (parts.length == 3 && parts[0].equals("state") && stateNames().contains(parts[2]) && idx >= 0 && idx < all.size()) {
                Parameter p = all.get(idx);
                boolean isStep = parts[2].equals("step");
                DType expected = isStep ? DType.FLOAT32 : p.dtype();
                if (t.dtype() != expected || !(isStep ? t.dim() == 0 : t.shape().equals(p.shape()))) {
                    problems.add(key + " of dtype " + t.dtype() + " and shape " + t.shape() + ": expected " + expected.torchName() + " of shape "
                            + (isStep ? "[]" : p.shape().toString()));
                    continue;
                }
                loaded.computeIfAbsent(p, k -> new LinkedHashMap<>()).put(parts[2], t.contiguous().clone());
            } else if (parts.length == 3 && parts[0].equals("param_groups") && idx >= 0 && idx < groups.size()
                    && (parts[2].equals("lr") || parts[2].equals("initial_lr")) && t.numel() == 1) {
                (parts[2].equals("lr") ? lrs : initial)[idx] = t.item();
            } else {
                problems.add("unexpected key " + key);
            }
        }
        int index = 0;
        for (ParamGroup<O> g : groups) {
            for (Parameter p : g.params()) {
                Map<String, Tensor> st = loaded.get(p);
                if (st != null) {
                    for (String required : requiredState(g.options())) {
                        if (!st.containsKey(required)) problems.add("missing key state." + index + "." + required);
                    }
                }
                index++;
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("optimizer state dict does not fit this " + getClass().getSimpleName()
                    + " over " + all.size() + " parameters in " + groups.size() + " group(s): " + String.join("; ", problems));
        }
        state.clear();
        state.putAll(loaded);
        for (int gi = 0; gi < groups.size(); gi++) {
            if (!Double.isNaN(lrs[gi])) groups.get(gi).setLr(lrs[gi]);
            if (!Double.isNaN(initial[gi])) groups.get(gi).setInitialLr(initial[gi]);
        }
    }

    private static int parseIndex(String s) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(Character::isDigit)) return -1;
        return Integer.parseInt(s);
    }

    /** A zero tensor of {@code p}'s dtype and shape. */
    static Tensor zerosLike(Tensor p) {
        return Tensor.zeros(p.dtype(), p.shape().toArray());
    }
}
