package org.convinit.testing.fuzz;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Entry point for Jazzer's standalone driver ({@code com.code_intelligence.jazzer.Jazzer
 * --target_class=org.convinit.testing.fuzz.Standalone}), which runs a {@code @FuzzTest} method without JUnit:
 * {@code -Dconvinit.fuzz.target=org.convinit.data.IdxFuzzTest#idx} names the method (a {@code byte[]} parameter;
 * an instance method is called on one instance made with the class's no-argument constructor).
 * {@code tools/fuzz/run.sh} uses it: fuzzing starts without Maven and Surefire (tools/fuzz/README.md, "Speed").
 */
public final class Standalone {
    private static MethodHandle target;

    private Standalone() {}

    public static void fuzzerInitialize() throws ReflectiveOperationException {
        String spec = System.getProperty("convinit.fuzz.target");
        if (spec == null || spec.indexOf('#') < 0) {
            throw new IllegalArgumentException("-Dconvinit.fuzz.target=CLASS#METHOD is required, got " + spec);
        }
        Class<?> c = Class.forName(spec.substring(0, spec.indexOf('#')));
        Method m = c.getDeclaredMethod(spec.substring(spec.indexOf('#') + 1), byte[].class);
        m.setAccessible(true);
        MethodHandle h = MethodHandles.lookup().unreflect(m);
        if (!Modifier.isStatic(m.getModifiers())) {
            Constructor<?> k = c.getDeclaredConstructor();
            k.setAccessible(true);
            h = h.bindTo(k.newInstance());
        }
        target = h.asType(MethodType.methodType(void.class, byte[].class));
    }

    public static void fuzzerTestOneInput(byte[] data) throws Throwable {
        target.invokeExact(data);
    }
}
