package org.convinit.nn;

/** A state dict that cannot be loaded; the module was left unchanged. Carries the full report. */
public final class StateDictException extends IllegalArgumentException {
    private final transient LoadReport report;

    public StateDictException(String message, LoadReport report) {
        super(message);
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
