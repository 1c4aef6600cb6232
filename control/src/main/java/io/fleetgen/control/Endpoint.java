package io.fleetgen.control;

import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Counters;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.RunStatus;
import io.vertx.core.Future;
import java.util.function.Predicate;

/**
 * What {@link Sender} and {@link Receiver} share: one named run of a profile on one host, with the seed's
 * {@code start()}, {@code poll()}, {@code stop()}. The blocking methods wait at most {@link Fleet#TIMEOUT_SECONDS};
 * the {@code *Async} ones return Vert.x futures. {@code poll()} and {@code stop()} record the counters.
 */
abstract class Endpoint {
    private final Fleet fleet;
    private final String name;
    private final ProfileSpec profile;
    private final Host host;
    private final CommandOp startOp;
    private volatile RunStatus last;

    Endpoint(Fleet fleet, String name, ProfileSpec profile, Host host, CommandOp startOp) {
        this.fleet = fleet;
        this.name = name;
        this.profile = profile;
        this.host = host;
        this.startOp = startOp;
    }

    final Fleet fleet() {
        return fleet;
    }

    public final String name() {
        return name;
    }

    public final Host host() {
        return host;
    }

    public final ProfileSpec profile() {
        return profile;
    }

    /** The last status recorded by start, poll or stop, or {@code null}. */
    public final RunStatus status() {
        return last;
    }

    final Counters counters() {
        return last == null ? Counters.ZERO : last.counters();
    }

    public final Future<RunStatus> startAsync() {
        return call(Command.of(startOp, name, profile));
    }

    public final Future<RunStatus> pollAsync() {
        return call(Command.of(CommandOp.POLL, name, null));
    }

    public final Future<RunStatus> stopAsync() {
        return call(Command.of(CommandOp.STOP, name, null));
    }

    /** Starts the run; returns once the agent is sending (sender) or capturing (receiver). */
    public final RunStatus start() {
        return await(startAsync());
    }

    public final RunStatus poll() {
        return await(pollAsync());
    }

    public final RunStatus stop() {
        return await(stopAsync());
    }

    /** Polls until {@code done} holds, at most {@code seconds}; instead of sleeping in tests. */
    public final RunStatus waitUntil(Predicate<RunStatus> done, long seconds) {
        last = fleet.waitUntil(host, name, done, seconds);
        return last;
    }

    /** Waits until a Standard or Burst run has ended by itself. */
    public final RunStatus waitFinished(long seconds) {
        return waitUntil(s -> s.state().isTerminal(), seconds);
    }

    private Future<RunStatus> call(Command cmd) {
        return fleet.request(host, cmd).map(r -> r.runs().get(0)).onSuccess(s -> last = s);
    }

    private static RunStatus await(Future<RunStatus> f) {
        return Fleet.await(f);
    }
}
