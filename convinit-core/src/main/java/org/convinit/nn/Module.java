package org.convinit.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradBuffers;
import org.convinit.autograd.GradMode;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.Module}: parameters, buffers and children kept in registration order, so that
 * {@link #stateDict()} has PyTorch's keys in PyTorch's order ({@code features.0.weight},
 * {@code bn.running_mean}, {@code bn.num_batches_tracked}).
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private final LinkedHashMap<Long, Hooks.ForwardPreHook> forwardPreHooks = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Hooks.ForwardHook> forwardHooks = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Hooks.BackwardHook> backwardHooks = new LinkedHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong NEXT_HOOK_ID = new java.util.concurrent.atomic.AtomicLong();

    /** Runs the module's computation. Callers run a module with {@link #call(Tensor)}, which also runs its hooks. */
    public abstract Tensor forward(Tensor input);

    /**
     * Runs the module as torch's {@code module(input)} ({@code __call__}): the forward pre-hooks, {@link #forward},
     * the forward hooks, and with grad enabled, wires the full backward hooks around it. Without hooks it is
     * exactly {@code forward(input)}. Composite modules run their children through it.
     */
    public final Tensor call(Tensor input) {
        if (!hasHooks()) return forward(input);
        Tensor x = input;
        for (Hooks.ForwardPreHook h : List.copyOf(forwardPreHooks.values())) {
            Tensor r = h.apply(this, x);
            if (r != null) x = r;
        }
        BackwardHookWiring wiring = backwardHooks.isEmpty() || !GradMode.isEnabled() ? null : new BackwardHookWiring();
        if (wiring != null) x = wiring.wrapInput(x);
        Tensor out = forward(x);
        for (Hooks.ForwardHook h : List.copyOf(forwardHooks.values())) {
            Tensor r = h.apply(this, x, out);
            if (r != null) out = r;
        }
        return wiring == null ? out : wiring.wrapOutput(out);
    }

    /** Whether any forward, forward-pre or backward hook is registered (a {@link Sequential} fuses only layers without). */
    final boolean hasHooks() {
        return !(forwardPreHooks.isEmpty() && forwardHooks.isEmpty() && backwardHooks.isEmpty());
    }

    /** Registers a hook run before every {@link #call} ({@code register_forward_pre_hook}). */
    public final HookHandle registerForwardPreHook(Hooks.ForwardPreHook hook) {
        return register(forwardPreHooks, hook);
    }

    /** Registers a hook run after every {@link #call} ({@code register_forward_hook}). */
    public final HookHandle registerForwardHook(Hooks.ForwardHook hook) {
        return register(forwardHooks, hook);
    }

    /** Registers a hook run when the gradients of the module's input are computed ({@code register_full_backward_hook}). */
    public final HookHandle registerFullBackwardHook(Hooks.BackwardHook hook) {
        return register(backwardHooks, hook);
    }

    private static <H> HookHandle register(LinkedHashMap<Long, H> hooks, H hook) {
        java.util.Objects.requireNonNull(hook, "hook");
        long id = NEXT_HOOK_ID.getAndIncrement();
        hooks.put(id, hook);
        return new HookHandle(() -> hooks.remove(id));
    }

    /**
     * One call's backward hooks, as torch's {@code BackwardHook}: identity nodes around the input and the output.
     * The output's node records the gradient with respect to the output; the input's node runs the hooks with
     * both gradients and passes on what they return. When the input does not require grad the output's node
     * runs the hooks with a {@code null} input gradient.
     */
    private final class BackwardHookWiring {
        private boolean inputWrapped;
        private Tensor gradOutput;

        Tensor wrapInput(Tensor x) {
            if (!x.requiresGrad()) return x;
            inputWrapped = true;
            return Autograd.record(x.detach(), "BackwardHookFunctionBackward", new Tensor[] {x}, new Tensor[0], g -> {
                GradBuffers.keepThisPass(); // hooks may keep the gradients they are shown
                Tensor gradInput = g;
                for (Hooks.BackwardHook h : List.copyOf(backwardHooks.values())) {
                    Tensor r = h.apply(Module.this, gradInput, gradOutput);
                    if (r != null) gradInput = r;
                }
                return new Tensor[] {gradInput};
            });
        }

        Tensor wrapOutput(Tensor out) {
            if (!out.requiresGrad()) return out;
            return Autograd.record(out.detach(), "BackwardHookFunctionBackward", new Tensor[] {out}, new Tensor[0], g -> {
                gradOutput = g;
                GradBuffers.keepThisPass();
                if (!inputWrapped) {
                    for (Hooks.BackwardHook h : List.copyOf(backwardHooks.values())) h.apply(Module.this, null, g);
                }
                return new Tensor[] {g};
            });
        }
    }

    /** The module's name as torch prints it ({@code Conv2d}). */
    public String name() {
        return getClass().getSimpleName();
    }

    /** The part of {@link #toString()} inside the parentheses, as torch's {@code extra_repr}. */
    protected String extraRepr() {
        return "";
    }

    // ------------------------------------------------------------------ registration

    /** Registers a parameter; {@code null} registers "no parameter" as torch's {@code register_parameter(name, None)}. */
    protected final Parameter registerParameter(String name, Parameter p) {
        checkName(name);
        parameters.put(name, p);
        return p;
    }

    /** Registers a persistent buffer (saved in the state dict). */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    /** Registers a child module. */
    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("attribute name '" + name + "': expected a non-empty name without '.'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + name());
        }
    }

    // ------------------------------------------------------------------ traversal

    /** Every parameter with its dotted name, this module's first, then each child's, recursively. */
    public Map<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Parameter> p : e.getValue().parameters.entrySet()) {
                if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue());
            }
        }
        return out;
    }

    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer with its dotted name. */
    public Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                if (b.getValue() != null) out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /** This module ("") and every descendant, pre-order, with dotted names. */
    public Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        ArrayList<Map.Entry<String, Module>> stack = new ArrayList<>();
        stack.add(Map.entry("", this));
        while (!stack.isEmpty()) {
            Map.Entry<String, Module> e = stack.remove(stack.size() - 1);
            if (out.containsValue(e.getValue())) continue; // torch yields a shared module once
            out.put(e.getKey(), e.getValue());
            List<Map.Entry<String, Module>> kids = new ArrayList<>();
            for (Map.Entry<String, Module> c : e.getValue().children.entrySet()) {
                String n = e.getKey().isEmpty() ? c.getKey() : e.getKey() + "." + c.getKey();
                kids.add(Map.entry(n, c.getValue()));
            }
            Collections.reverse(kids);
            stack.addAll(kids);
        }
        return out;
    }

    /** This module and every descendant, pre-order ({@code modules()}). */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** The direct children with their names. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Calls {@code fn} on every child (recursively) and then on this module, as torch's {@code apply}. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Sets training mode here and in every descendant. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    /** {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * Zeroes the gradients of every parameter in place, as torch 1.13's {@code zero_grad()}
     * ({@code set_to_none=False}); with {@code setToNone} they are dropped instead (torch 2.x default).
     */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            if (p.grad() == null) continue;
            if (setToNone) p.setGrad(null);
            else p.grad().detach().zero_();
        }
    }

    // ------------------------------------------------------------------ state dict

    /**
     * The state dict: for each module in pre-order, its parameters then its buffers, with dotted keys.
     * Values share storage with the module's tensors (like torch's detached tensors).
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            for (Map.Entry<String, Parameter> p : m.parameters.entrySet()) {
                if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue().detach());
            }
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                if (b.getValue() != null) out.put(prefix + b.getKey(), b.getValue().detach());
            }
        }
        return out;
    }

    /** The live tensors (parameters and buffers) behind the state-dict keys. */
    private LinkedHashMap<String, Tensor> liveState() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            Module m = e.getValue();
            for (Map.Entry<String, Parameter> p : m.parameters.entrySet()) {
                if (p.getValue() != null) out.put(prefix + p.getKey(), p.getValue());
            }
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                if (b.getValue() != null) out.put(prefix + b.getKey(), b.getValue());
            }
        }
        return out;
    }

    /**
     * Computes what loading {@code stateDict} would do, without changing anything: missing and
     * unexpected keys, shape mismatches (both shapes), dtype conversions.
     */
    public LoadReport checkStateDict(Map<String, Tensor> stateDict) {
        return checkStateDict(stateDict, null);
    }

    /**
     * {@link #checkStateDict(Map)} for a state dict that carries torch's {@code _metadata}: {@code versions} maps
     * each module's prefix ({@code "layer1.0.bn1"}, {@code ""} for the root) to the {@code version} saved with it;
     * {@code null} for a plain dict without {@code _metadata}. A module whose version is absent or older than its
     * current one upgrades the state dict first, as {@code _load_from_state_dict} does (a batch norm saved before
     * torch 0.4.1 gets {@code num_batches_tracked = 0}).
     */
    public LoadReport checkStateDict(Map<String, Tensor> stateDict, Map<String, Integer> versions) {
        return checkUpgraded(upgraded(stateDict, versions));
    }

    private Map<String, Tensor> upgraded(Map<String, Tensor> stateDict, Map<String, Integer> versions) {
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>(stateDict);
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            e.getValue().upgradeStateDict(e.getKey().isEmpty() ? "" : e.getKey() + ".", versions == null ? null : versions.get(e.getKey()), sd);
        }
        return sd;
    }

    /**
     * Brings an older state dict up to this module's layout before loading ({@code _load_from_state_dict}'s version
     * check): {@code prefix} ends with a dot (or is empty), {@code version} is the one saved with this module or
     * {@code null} when none was. The default changes nothing.
     */
    protected void upgradeStateDict(String prefix, Integer version, Map<String, Tensor> stateDict) {}

    private LoadReport checkUpgraded(Map<String, Tensor> stateDict) {
        LinkedHashMap<String, Tensor> live = liveState();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<LoadReport.ShapeMismatch> shapes = new ArrayList<>();
        List<LoadReport.DTypeConversion> dtypes = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : live.entrySet()) {
            Tensor given = stateDict.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!given.shape().equals(e.getValue().shape())) {
                shapes.add(new LoadReport.ShapeMismatch(e.getKey(), given.shape(), e.getValue().shape()));
            } else if (given.dtype() != e.getValue().dtype()) {
                dtypes.add(new LoadReport.DTypeConversion(e.getKey(), given.dtype(), e.getValue().dtype()));
            }
        }
        for (String k : stateDict.keySet()) if (!live.containsKey(k)) unexpected.add(k);
        return new LoadReport(missing, unexpected, shapes, dtypes);
    }

    /**
     * Loads a state dict ({@code load_state_dict}). The full report is computed first; if any shape
     * differs, or (when {@code strict}) any key is missing or unexpected, nothing is changed and a
     * {@link StateDictException} carrying the report is thrown. Otherwise every matching key is
     * copied in under no-grad (converting dtypes as {@code copy_} does) and the report is returned.
     */
    public LoadReport loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        return loadStateDict(stateDict, null, strict);
    }

    /** {@link #loadStateDict(Map, boolean)} with torch's {@code _metadata} versions, as in {@link #checkStateDict(Map, Map)}. */
    public LoadReport loadStateDict(Map<String, Tensor> saved, Map<String, Integer> versions, boolean strict) {
        Map<String, Tensor> stateDict = upgraded(saved, versions);
        LoadReport report = checkUpgraded(stateDict);
        boolean fail = !report.shapeMismatches().isEmpty()
                || (strict && (!report.missing().isEmpty() || !report.unexpected().isEmpty()));
        if (fail) throw new StateDictException(report.describe(name()), report);
        LinkedHashMap<String, Tensor> live = liveState();
        try (var g = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : live.entrySet()) {
                Tensor given = stateDict.get(e.getKey());
                if (given != null) e.getValue().copy_(given);
            }
        }
        return report;
    }

    /** {@code loadStateDict(stateDict, true)}. */
    public LoadReport loadStateDict(Map<String, Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /** The parameter or buffer with this dotted state-dict key, e.g. {@code "features.0.weight"}. */
    public Tensor tensor(String key) {
        Tensor t = liveState().get(key);
        if (t == null) {
            throw new IllegalArgumentException("no parameter or buffer named '" + key + "' in " + name()
                    + "; expected one of " + liveState().keySet());
        }
        return t;
    }

    /**
     * Copies {@code value} into the parameter or buffer {@code key} under no-grad, as the PyTorch recipe
     * {@code with torch.no_grad(): conv.weight.copy_(sd['conv1.weight'])} does, but demanding the exact
     * shape: a mismatch fails with both shapes and changes nothing. Dtypes convert as {@code copy_}.
     */
    public void loadTensor(String key, Tensor value) {
        Tensor target = tensor(key);
        if (value == null) {
            throw new IllegalArgumentException("loadTensor(\"" + key + "\", null): no tensor given for " + key
                    + " (was it looked up by a key the checkpoint does not have?); expected a tensor of shape " + target.shape());
        }
        if (!target.shape().equals(value.shape())) {
            throw new IllegalArgumentException("size mismatch for " + key + ": copying a param with shape "
                    + value.shape() + " from checkpoint, the shape in current model is " + target.shape() + ".");
        }
        try (var g = GradMode.noGrad()) {
            target.copy_(value);
        }
    }

    // ------------------------------------------------------------------ printing

    /** torch's module repr: {@code Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1))}, children indented. */
    @Override
    public String toString() {
        if (children.isEmpty()) return name() + "(" + extraRepr() + ")";
        StringBuilder sb = new StringBuilder(name()).append('(');
        String extra = extraRepr();
        if (!extra.isEmpty()) sb.append("\n  ").append(extra.replace("\n", "\n  "));
        for (Map.Entry<String, Module> c : children.entrySet()) {
            sb.append("\n  (").append(c.getKey()).append("): ")
                    .append(c.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}
