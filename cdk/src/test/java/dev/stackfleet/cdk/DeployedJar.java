package dev.stackfleet.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A Lambda jar exactly as the app deploys it, loaded on its own (nothing of the CDK app's classpath leaks
 * in), so that a test can hand a synthesized environment to the handler's own configuration reader.
 */
final class DeployedJar implements AutoCloseable {

    private final URLClassLoader loader;

    DeployedJar(String relativePath) {
        try {
            URL jar =
                    Path.of(ProjectFiles.locate().require(relativePath)).toUri().toURL();
            loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls {@code className.fromEnvironment(environment)}, unwrapping what it throws. */
    Object fromEnvironment(String className, Map<String, String> environment) throws Exception {
        return inJar(() -> {
            Method reader = load(className).getMethod("fromEnvironment", Map.class);
            try {
                return reader.invoke(null, environment);
            } catch (InvocationTargetException e) {
                throw (Exception) e.getCause();
            }
        });
    }

    /** The public static String constants of a class, by field name. */
    Map<String, String> constants(String className) throws Exception {
        return inJar(() -> {
            Map<String, String> constants = new LinkedHashMap<>();
            for (var field : load(className).getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    constants.put(field.getName(), (String) field.get(null));
                }
            }
            return constants;
        });
    }

    /** Runs with the jar as context class loader, as Lambda runs a handler: its service lookups stay in the jar. */
    private <T> T inJar(Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A record's components by name, nested records as maps too. */
    static Map<String, Object> components(Object record) throws ReflectiveOperationException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            Object value = accessor.invoke(record);
            values.put(component.getName(), value != null && value.getClass().isRecord() ? components(value) : value);
        }
        return values;
    }

    private Class<?> load(String className) {
        try {
            return loader.loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not in the deployed jar", e);
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
