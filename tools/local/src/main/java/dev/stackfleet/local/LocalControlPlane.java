package dev.stackfleet.local;

import dev.stackfleet.api.ApiConfig;
import dev.stackfleet.api.CreateGameServerHandler;
import dev.stackfleet.api.DeleteGameServerHandler;
import dev.stackfleet.api.GameServerService;
import dev.stackfleet.api.GetGameServerHandler;
import dev.stackfleet.api.ListGameServersHandler;
import dev.stackfleet.api.UpdateGameServerHandler;
import dev.stackfleet.core.EventSourceSettings;
import dev.stackfleet.core.LifecyclePipe;
import dev.stackfleet.local.stream.StreamPoller;
import dev.stackfleet.reconciler.Reconciler;
import dev.stackfleet.stream.StreamConfig;
import dev.stackfleet.stream.StreamHandler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole control plane on one machine, against an AWS endpoint (the emulator): the resources the CDK
 * app would deploy, the API handlers behind {@link LocalGateway}, the stream handler fed by
 * {@link StreamPoller}, an {@link ExecutionWatcher} that logs workflow progress, {@link LocalStackEvents} (the
 * stand-in for the stack status change events), {@link LocalLifecyclePipe} (the stand-in for the pipe that publishes
 * lifecycle events) and the reconciler on an interval ({@link LocalReconciler}). The handlers are the
 * deployed classes; only their clients and configuration differ.
 */
public final class LocalControlPlane implements AutoCloseable {

    /** Workflow poll intervals in local mode: stacks settle at once in the emulator. */
    static final int POLL_INITIAL_SECONDS = 1;

    static final int POLL_MAX_SECONDS = 2;

    /**
     * What to run besides the API.
     *
     * @param apiPort the gateway's loopback port, 0 for any free one
     * @param streamPoller whether stream records reach the stream handler (off: every record is as if lost)
     * @param reconcileInterval how often the reconciler runs, or {@code null} for never
     * @param maxServersPerOwner the API's quota of live servers per owner
     */
    public record Options(int apiPort, boolean streamPoller, Duration reconcileInterval, int maxServersPerOwner) {

        /** With the API's default quota. */
        public Options(int apiPort, boolean streamPoller, Duration reconcileInterval) {
            this(apiPort, streamPoller, reconcileInterval, ApiConfig.DEFAULT_MAX_SERVERS_PER_OWNER);
        }
    }

    private final LocalResources.Created resources;
    private final StreamHandler streamHandler;
    private final LocalGateway gateway;
    private final StreamPoller poller;
    private final ExecutionWatcher watcher;
    private final LocalStackEvents stackEvents;
    private final LocalLifecyclePipe lifecyclePipe;
    private final Reconciler reconciler;
    private final LocalReconciler reconcileLoop;

    private LocalControlPlane(
            LocalResources.Created resources,
            StreamHandler streamHandler,
            LocalGateway gateway,
            StreamPoller poller,
            ExecutionWatcher watcher,
            LocalStackEvents stackEvents,
            LocalLifecyclePipe lifecyclePipe,
            Reconciler reconciler,
            LocalReconciler reconcileLoop) {
        this.resources = resources;
        this.streamHandler = streamHandler;
        this.gateway = gateway;
        this.poller = poller;
        this.watcher = watcher;
        this.stackEvents = stackEvents;
        this.lifecyclePipe = lifecyclePipe;
        this.reconciler = reconciler;
        this.reconcileLoop = reconcileLoop;
    }

    /**
     * Creates the resources in an empty emulator and starts serving.
     *
     * @param endpoint the emulator's endpoint
     * @param root the repository root (state machines and templates are read from there)
     * @param apiPort the gateway's loopback port, 0 for any free one
     */
    public static LocalControlPlane start(URI endpoint, Path root, int apiPort) {
        return start(endpoint, root, new Options(apiPort, true, null));
    }

    /** Creates the resources in an empty emulator and starts what the options ask for. */
    public static LocalControlPlane start(URI endpoint, Path root, Options options) {
        LocalAws aws = new LocalAws(endpoint);
        LocalResources.Created resources = new LocalResources(aws, root).create();

        GameServerService service = GameServerService.standard(
                ApiConfig.from(Map.of(
                        "TABLE_NAME", LocalResources.TABLE_NAME,
                        "QUOTA_TABLE_NAME", LocalResources.QUOTA_TABLE_NAME,
                        "MAX_SERVERS_PER_OWNER", Integer.toString(options.maxServersPerOwner()),
                        "ACCOUNT_POOL_TABLE_NAME", LocalResources.ACCOUNT_POOL_TABLE_NAME,
                        "RELEASES_TABLE_NAME", LocalResources.RELEASES_TABLE_NAME,
                        "PLACEMENT_ROLE_NAME", LocalResources.ACCESS_ROLE)),
                aws.dynamoDbWithSerializedWrites());
        StreamHandler streamHandler = new StreamHandler(
                StreamConfig.fromEnvironment(Map.of(
                        StreamConfig.PROVISION_STATE_MACHINE_ARN, resources.provisionArn(),
                        StreamConfig.DEPROVISION_STATE_MACHINE_ARN, resources.deprovisionArn(),
                        StreamConfig.DEAD_LETTER_QUEUE_URL, resources.deadLetterQueueUrl(),
                        StreamConfig.POLL_INITIAL_SECONDS, Integer.toString(POLL_INITIAL_SECONDS),
                        StreamConfig.POLL_MAX_SECONDS, Integer.toString(POLL_MAX_SECONDS))),
                aws.lambdaClients());

        ExecutionWatcher watcher = new ExecutionWatcher(
                aws.sfn(), List.of(resources.provisionArn(), resources.deprovisionArn(), resources.rolloutArn()));
        watcher.start();
        LocalStackEvents stackEvents = new LocalStackEvents(aws, resources.stackEventArn());
        stackEvents.start();
        LocalLifecyclePipe lifecyclePipe = new LocalLifecyclePipe(
                aws, resources.streamArn(), LifecyclePipe.read(root.resolve(LifecyclePipe.FILE)));
        lifecyclePipe.start();
        StreamPoller poller = new StreamPoller(
                aws.dynamoDbStreams(),
                resources.streamArn(),
                EventSourceSettings.load(),
                streamHandler,
                aws.sqs(),
                resources.deadLetterQueueUrl());
        if (options.streamPoller()) {
            poller.start();
        }
        Reconciler reconciler = LocalReconciler.reconciler(
                aws,
                resources,
                LocalReconciler.STUCK_AFTER,
                LocalReconciler.ORPHAN_GRACE,
                line -> LocalLog.line("reconcile", line));
        LocalReconciler reconcileLoop = options.reconcileInterval() == null
                ? null
                : LocalReconciler.every(options.reconcileInterval(), reconciler);
        LocalGateway gateway = LocalGateway.start(
                options.apiPort(),
                List.of(
                        new LocalGateway.Route("POST", "/gameservers", new CreateGameServerHandler(service)),
                        new LocalGateway.Route("GET", "/gameservers", new ListGameServersHandler(service)),
                        new LocalGateway.Route("GET", "/gameservers/{id}", new GetGameServerHandler(service)),
                        new LocalGateway.Route("PATCH", "/gameservers/{id}", new UpdateGameServerHandler(service)),
                        new LocalGateway.Route("DELETE", "/gameservers/{id}", new DeleteGameServerHandler(service))));
        return new LocalControlPlane(
                resources,
                streamHandler,
                gateway,
                poller,
                watcher,
                stackEvents,
                lifecyclePipe,
                reconciler,
                reconcileLoop);
    }

    /** The API's base URL. */
    public URI apiUrl() {
        return gateway.url();
    }

    /** What was created in the emulator. */
    public LocalResources.Created resources() {
        return resources;
    }

    /** The stream handler the poller feeds, for replaying records by hand. */
    public StreamHandler streamHandler() {
        return streamHandler;
    }

    /** The reconcile pass of this control plane (local settings), for running one by hand. */
    public Reconciler reconciler() {
        return reconciler;
    }

    @Override
    public void close() {
        if (reconcileLoop != null) {
            reconcileLoop.close();
        }
        gateway.close();
        poller.close();
        lifecyclePipe.close();
        stackEvents.close();
        watcher.close();
    }
}
