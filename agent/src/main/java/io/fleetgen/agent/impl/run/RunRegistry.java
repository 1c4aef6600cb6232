package io.fleetgen.agent.impl.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runs an agent knows, by name, in start order: every live run, and the latest ended ones up to a bound
 * (oldest forgotten first). What an ended run leaves behind (its pcap file) goes with it, also when a new run
 * takes its name. Confined to the agent's event loop.
 */
public final class RunRegistry {
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final int keptEnded;
    private final Consumer<Run> forget;

    /**
     * @param keptEnded ended runs remembered at most
     * @param forget called with each run forgotten, to remove what it left behind
     */
    public RunRegistry(int keptEnded, Consumer<Run> forget) {
        this.keptEnded = keptEnded;
        this.forget = forget;
    }

    public Run get(String name) {
        return runs.get(name);
    }

    /** Every run, oldest first. */
    public List<Run> all() {
        return new ArrayList<>(runs.values());
    }

    public int live() {
        int n = 0;
        for (Run r : runs.values()) {
            n += r.live() ? 1 : 0;
        }
        return n;
    }

    /** Adds a run; an ended run of the same name is forgotten; beyond the bound the oldest ended runs go. */
    public void add(Run run) {
        Run old = runs.remove(run.name());
        if (old != null) {
            forget.accept(old);
        }
        runs.put(run.name(), run);
        if (runs.size() > keptEnded + keptEnded / 10) {
            forgetEnded(runs.size() - live() - keptEnded);
        }
    }

    /** Forgets the ended runs that ended before {@code cutoffMillis}. */
    public void forgetEndedBefore(long cutoffMillis) {
        for (var it = runs.values().iterator(); it.hasNext(); ) {
            Run r = it.next();
            if (!r.live() && r.status().endedAtMillis() < cutoffMillis) {
                it.remove();
                forget.accept(r);
            }
        }
    }

    /** Forgets up to {@code n} ended runs, oldest first. */
    public void forgetEnded(int n) {
        for (var it = runs.values().iterator(); it.hasNext() && n > 0; ) {
            Run r = it.next();
            if (!r.live()) {
                it.remove();
                forget.accept(r);
                n--;
            }
        }
    }
}
