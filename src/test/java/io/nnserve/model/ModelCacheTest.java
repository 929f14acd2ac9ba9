package io.nnserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ModelCacheTest {

    /** A stand-in for a loaded model: its id and a weight. */
    record Loaded(String id, long bytes) {
    }

    final Set<String> stored = ConcurrentHashMap.newKeySet();
    final ConcurrentHashMap<String, AtomicInteger> loads = new ConcurrentHashMap<>();
    final AtomicInteger existenceChecks = new AtomicInteger();
    final AtomicLong clock = new AtomicLong();

    ModelCache<Loaded> cache(int maxEntries, long maxBytes, long revalidateAfterNanos) {
        return new ModelCache<>(id -> {
            loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (id.startsWith("damaged")) {
                throw new DamagedModelException(id, "test");
            }
            if (id.startsWith("broken")) {
                throw new IllegalStateException("database hiccup");
            }
            return stored.contains(id) ? Optional.of(new Loaded(id, 100)) : Optional.empty();
        }, id -> {
            existenceChecks.incrementAndGet();
            if (id.startsWith("offline")) {
                throw new IllegalStateException("database down");
            }
            return stored.contains(id);
        }, Loaded::bytes, e -> e instanceof DamagedModelException, maxEntries, maxBytes, revalidateAfterNanos, clock::get);
    }

    int loadsOf(String id) {
        AtomicInteger n = loads.get(id);
        return n == null ? 0 : n.get();
    }

    @Test
    void manyThreadsAskingForOneModelCauseOneLoad() throws Exception {
        stored.add("m");
        CountDownLatch inLoad = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ModelCache<Loaded> slow = new ModelCache<>(id -> {
            loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            inLoad.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(new Loaded(id, 100));
        }, id -> true, Loaded::bytes, e -> false, 10, Long.MAX_VALUE, Long.MAX_VALUE, clock::get);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Optional<Loaded>>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> slow.get("m")));
            }
            assertThat(inLoad.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100); // let the other threads arrive while the first is still loading
            release.countDown();
            Set<Loaded> distinct = new HashSet<>();
            for (Future<Optional<Loaded>> result : results) {
                distinct.add(result.get(10, TimeUnit.SECONDS).orElseThrow());
            }
            assertThat(loadsOf("m")).isEqualTo(1);
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void differentModelsLoadIndependently() throws Exception {
        for (int i = 0; i < 8; i++) {
            stored.add("m" + i);
        }
        ModelCache<Loaded> cache = cache(8, Long.MAX_VALUE, Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Loaded>>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 8; i++) {
                    String id = "m" + i;
                    results.add(pool.submit(() -> cache.get(id)));
                }
            }
            for (Future<Optional<Loaded>> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 8; i++) {
            assertThat(loadsOf("m" + i)).isEqualTo(1);
        }
        assertThat(cache.size()).isEqualTo(8);
        assertThat(cache.bytes()).isEqualTo(800);
    }

    @Test
    void unknownModelsAreEmptyAndNotRemembered() {
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, Long.MAX_VALUE);

        assertThat(cache.get("nope")).isEmpty();
        stored.add("nope");
        assertThat(cache.get("nope")).isPresent();
        assertThat(loadsOf("nope")).isEqualTo(2);
    }

    @Test
    void leastRecentlyUsedLeavesFirstWhenTheCountIsReached() {
        stored.addAll(List.of("a", "b", "c"));
        ModelCache<Loaded> cache = cache(2, Long.MAX_VALUE, Long.MAX_VALUE);

        cache.get("a");
        cache.get("b");
        cache.get("a");
        cache.get("c");   // evicts b, the least recently used
        cache.get("a");
        cache.get("b");   // loads b again, evicting c

        assertThat(loadsOf("a")).isEqualTo(1);
        assertThat(loadsOf("b")).isEqualTo(2);
        assertThat(loadsOf("c")).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.bytes()).isEqualTo(200);
    }

    @Test
    void theByteBoundEvictsButAlwaysKeepsTheModelJustLoaded() {
        stored.addAll(List.of("a", "b"));
        ModelCache<Loaded> cache = cache(10, 150, Long.MAX_VALUE);

        cache.get("a");
        cache.get("b");

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(100);
        cache.get("b");
        assertThat(loadsOf("b")).isEqualTo(1);
        assertThat(cache(10, 50, Long.MAX_VALUE).get("a")).isPresent();
    }

    @Test
    void aModelDeletedElsewhereDisappearsOnceItsEntryIsRevalidated() {
        stored.add("m");
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, 1_000);
        cache.get("m");
        stored.remove("m");

        clock.set(999);
        assertThat(cache.get("m")).as("still fresh").isPresent();
        assertThat(existenceChecks).hasValue(0);
        clock.set(1_000);
        assertThat(cache.get("m")).as("revalidated: gone").isEmpty();
        assertThat(existenceChecks).hasValue(1);
        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aModelThatStillExistsIsCheckedOncePerPeriod() {
        stored.add("m");
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, 1_000);
        cache.get("m");

        clock.set(1_500);
        cache.get("m");
        cache.get("m");
        clock.set(2_000);
        cache.get("m");
        clock.set(2_500);
        cache.get("m");

        assertThat(existenceChecks).hasValue(2);
        assertThat(loadsOf("m")).isEqualTo(1);
    }

    @Test
    void zeroRevalidationChecksEveryRequest() {
        stored.add("m");
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, 0);
        for (int i = 0; i < 3; i++) {
            cache.get("m");
        }
        assertThat(existenceChecks).hasValue(2);
    }

    @Test
    void whenTheDatabaseCannotAnswerTheCachedModelIsStillServed() {
        stored.add("offline-m");
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, 1_000);
        cache.get("offline-m");

        clock.set(5_000);
        assertThat(cache.get("offline-m")).isPresent();
        assertThat(cache.get("offline-m")).as("no second check in the same period").isPresent();
        assertThat(existenceChecks).hasValue(1);
    }

    @Test
    void aDamagedModelIsRememberedAndAFailedLoadIsNot() {
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, Long.MAX_VALUE);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.get("damaged-1")).isInstanceOf(DamagedModelException.class);
            assertThatThrownBy(() -> cache.get("broken-1")).isInstanceOf(IllegalStateException.class);
        }
        assertThat(loadsOf("damaged-1")).isEqualTo(1);
        assertThat(loadsOf("broken-1")).isEqualTo(2);
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void anErrorWhileLoadingLeavesNoEntryForWaitersToHangOn() {
        ModelCache<Loaded> cache = new ModelCache<>(id -> {
            loads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            throw new OutOfMemoryError("simulated");
        }, id -> true, Loaded::bytes, e -> true, 4, Long.MAX_VALUE, Long.MAX_VALUE, clock::get);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.get("huge")).isInstanceOf(OutOfMemoryError.class);
        }
        assertThat(loadsOf("huge")).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void evictForgetsAModel() {
        stored.add("m");
        ModelCache<Loaded> cache = cache(4, Long.MAX_VALUE, Long.MAX_VALUE);
        cache.get("m");

        cache.evict("m");
        cache.evict("never-loaded");

        assertThat(cache.size()).isZero();
        assertThat(cache.bytes()).isZero();
        cache.get("m");
        assertThat(loadsOf("m")).isEqualTo(2);
    }
}
