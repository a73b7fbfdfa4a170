package dev.stackfleet.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local mode only: a game-server template as the emulator can create it. The emulator makes every
 * {@code AWS::ElasticLoadBalancingV2::LoadBalancer} an Application Load Balancer whatever its {@code Type}, and refuses
 * a TCP or UDP listener on one, so the listener's protocol becomes HTTP. Everything the workflows read (the outputs)
 * stays as written. A release's version is always the hash of the template as published, never of this copy.
 */
public final class EmulatedTemplate {

    /** The Protocol line of the template's listener resource (the first Protocol after its Type). */
    private static final Pattern LISTENER_PROTOCOL =
            Pattern.compile("(Type: AWS::ElasticLoadBalancingV2::Listener\\n(?:.*\\n)*?\\s+Protocol: ).*");

    private EmulatedTemplate() {}

    /** The template with its listener's protocol set to HTTP. */
    public static String of(String template) {
        Matcher listenerProtocol = LISTENER_PROTOCOL.matcher(template);
        if (!listenerProtocol.find()) {
            throw new IllegalStateException("The game-server template has no load balancer listener with a Protocol");
        }
        return listenerProtocol.replaceFirst("$1HTTP");
    }
}
