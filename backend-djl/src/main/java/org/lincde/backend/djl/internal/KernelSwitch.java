package org.lincde.backend.djl.internal;

/** A fused kernel's on/off system property: {@code always} or {@code never}, absent meaning {@code never}. */
final class KernelSwitch {
    private KernelSwitch() {}

    /** Whether {@code -D<property>=always} turns the kernel on; any value but {@code always} or {@code never} is an error. */
    static boolean on(String property) {
        String mode = System.getProperty(property, "never");
        return switch (mode) {
            case "always" -> true;
            case "never" -> false;
            default -> throw new IllegalArgumentException("-D" + property + "=" + mode + ": expected always or never");
        };
    }
}
