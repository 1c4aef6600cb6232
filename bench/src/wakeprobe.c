// Wake-up probe (issue 17): sleeps 1 ms to absolute deadlines at SCHED_FIFO 20 (above the agent's paced threads)
// on one CPU for SECONDS; prints every wake-up more than 1 ms late with the wall-clock time it woke, the stall's
// end (epoch seconds mod 100, as bench/pacing_stats.py with STALLS=1 prints a stream's gaps), then the largest
// lateness. A stall this process shares with a paced thread is below the JVM. Usage: wakeprobe CPU SECONDS (root).
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void) sig; stop = 1; }

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: wakeprobe CPU SECONDS\n"); return 2; }
    int cpu = atoi(argv[1]), secs = atoi(argv[2]);
    signal(SIGTERM, on_term);
    cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); sched_setaffinity(0, sizeof s, &s);
    struct sched_param p = { .sched_priority = 20 }; sched_setscheduler(0, SCHED_FIFO, &p);
    struct timespec t, now, wall; clock_gettime(CLOCK_MONOTONIC, &t);
    long n = secs * 1000L, late_max = 0;
    for (long i = 0; i < n && !stop; i++) {
        t.tv_nsec += 1000000; if (t.tv_nsec >= 1000000000) { t.tv_nsec -= 1000000000; t.tv_sec++; }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        long late = (now.tv_sec - t.tv_sec) * 1000000000L + now.tv_nsec - t.tv_nsec;
        if (late > late_max) late_max = late;
        if (late > 1000000) {
            clock_gettime(CLOCK_REALTIME, &wall);
            printf("cpu%d late %.3f ms, woke at %ld.%06ld\n", cpu, late / 1e6, wall.tv_sec % 100, wall.tv_nsec / 1000);
            fflush(stdout);
        }
    }
    printf("cpu%d largest lateness %.3f ms\n", cpu, late_max / 1e6);
}
