package org.convinit.nn;

/**
 * Removes a hook registered on a {@link Module} ({@code torch.utils.hooks.RemovableHandle}); removing twice
 * is harmless. As an {@link AutoCloseable}, a hook can live for one block:
 * {@code try (HookHandle h = m.registerForwardHook(...)) { m.call(x); }}.
 */
public final class HookHandle implements AutoCloseable {
    private final Runnable remover;
    private boolean removed;

    HookHandle(Runnable remover) {
        this.remover = remover;
    }

    /** Unregisters the hook. */
    public void remove() {
        if (removed) return;
        removed = true;
        remover.run();
    }

    @Override
    public void close() {
        remove();
    }
}
