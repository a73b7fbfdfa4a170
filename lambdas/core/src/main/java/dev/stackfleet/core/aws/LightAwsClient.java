package dev.stackfleet.core.aws;

import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What the light clients share: the {@link AwsJsonClient} their operations go through, and nothing to close (the
 * keep-alive connections are the JVM's {@code HttpURLConnection} cache). Each subclass implements one SDK client
 * interface, each of its operations one line naming the operation and its response builder.
 */
public abstract class LightAwsClient implements SdkAutoCloseable {

    protected final AwsJsonClient json;

    protected LightAwsClient(AwsJsonClient json) {
        this.json = json;
    }

    @Override
    public final void close() {
        // nothing of this client's to release
    }
}
