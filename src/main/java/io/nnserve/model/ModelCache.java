package io.nnserve.model;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded models by id, bounded by count and by bytes, least recently used leaving first.
 *
 * <ul>
 *   <li>One load per model: the first request for an id installs a future and loads; concurrent requests for the
 *   same id wait on that future. Requests for other ids, and hits, take no lock at all (a map read and two
 *   volatile writes), so predictions on one model never serialise.</li>
 *   <li>Models are immutable, so the only way a cached one goes wrong is being deleted, possibly by another
 *   instance. An entry older than {@code revalidateAfter} is re-checked with a primary-key probe by one request
 *   (others keep being served meanwhile); if the model is gone the entry leaves and the caller sees empty. If the
 *   database cannot answer, the cached model is served and the check waits for the next period: weights do not
 *   change, and prediction should survive a database blip.</li>
 *   <li>A failed load leaves no entry (the next request tries again), except for failures the owner wants
 *   remembered (a damaged model: re-reading a large blob per request would only repeat the same answer).</li>
 * </ul>
 */
final class ModelCache<T> {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    private final Function<String, Optional<T>> loader;
    private final Predicate<String> exists;
    private final ToLongFunction<T> weigher;
    private final Predicate<RuntimeException> rememberFailure;
    private final int maxEntries;
    private final long maxBytes;
    private final long revalidateAfterNanos;
    private final LongSupplier nanoTime;

    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final AtomicLong useClock = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    ModelCache(Function<String, Optional<T>> loader, Predicate<String> exists, ToLongFunction<T> weigher,
               Predicate<RuntimeException> rememberFailure, int maxEntries, long maxBytes, long revalidateAfterNanos,
               LongSupplier nanoTime) {
        this.loader = loader;
        this.exists = exists;
        this.weigher = weigher;
        this.rememberFailure = rememberFailure;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.revalidateAfterNanos = revalidateAfterNanos;
        this.nanoTime = nanoTime;
    }

    private static final class Entry<T> {
        final CompletableFuture<T> value = new CompletableFuture<>();
        final AtomicBoolean revalidating = new AtomicBoolean();
        final AtomicBoolean released = new AtomicBoolean();
        volatile long lastUsed;
        volatile long checkedAt;
        volatile long weight;
    }

    /** The model, loading it if needed; empty when no such model exists (here or, after revalidation, anywhere). */
    Optional<T> get(String id) {
        Entry<T> entry = entries.get(id);
        if (entry == null) {
            Entry<T> mine = new Entry<>();
            entry = entries.putIfAbsent(id, mine);
            if (entry == null) {
                return load(id, mine);
            }
        } else if (entry.value.isDone() && !stillExists(id, entry)) {
            return Optional.empty();
        }
        entry.lastUsed = useClock.incrementAndGet();
        T value = await(entry);
        return Optional.ofNullable(value);
    }

    private Optional<T> load(String id, Entry<T> mine) {
        Optional<T> loaded;
        try {
            loaded = loader.apply(id);
        } catch (RuntimeException | Error e) {
            // Errors too (an OutOfMemoryError on a huge model): waiters must never be left on a future that
            // nobody will complete.
            mine.checkedAt = nanoTime.getAsLong();
            mine.value.completeExceptionally(e);
            if (!(e instanceof RuntimeException failure && rememberFailure.test(failure))) {
                entries.remove(id, mine);
            }
            throw e;
        }
        if (loaded.isEmpty()) {
            mine.value.complete(null);
            entries.remove(id, mine);
            return loaded;
        }
        mine.weight = weigher.applyAsLong(loaded.get());
        mine.checkedAt = nanoTime.getAsLong();
        mine.lastUsed = useClock.incrementAndGet();
        bytes.addAndGet(mine.weight);
        mine.value.complete(loaded.get());
        if (entries.get(id) != mine) {
            // Removed (deleted) while loading, before its weight was counted in.
            release(mine);
        }
        shrink(id);
        return loaded;
    }

    private boolean stillExists(String id, Entry<T> entry) {
        if (nanoTime.getAsLong() - entry.checkedAt < revalidateAfterNanos || !entry.revalidating.compareAndSet(false, true)) {
            return true;
        }
        try {
            if (!exists.test(id)) {
                remove(id, entry);
                return false;
            }
        } catch (RuntimeException e) {
            log.warn("could not check whether model {} still exists; serving it from memory: {}", id, e.getMessage());
        } finally {
            entry.checkedAt = nanoTime.getAsLong();
            entry.revalidating.set(false);
        }
        return true;
    }

    private T await(Entry<T> entry) {
        try {
            return entry.value.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Evicts least recently used entries until both bounds hold again; the entry just loaded always stays. */
    private void shrink(String keep) {
        while (entries.size() > maxEntries || bytes.get() > maxBytes) {
            String victim = null;
            long oldest = Long.MAX_VALUE;
            for (Map.Entry<String, Entry<T>> e : entries.entrySet()) {
                Entry<T> candidate = e.getValue();
                if (!e.getKey().equals(keep) && candidate.value.isDone() && candidate.lastUsed < oldest) {
                    oldest = candidate.lastUsed;
                    victim = e.getKey();
                }
            }
            if (victim == null) {
                return;
            }
            evict(victim);
        }
    }

    /** Forgets a model (deleted here, or found gone). A request already holding it finishes with it. */
    void evict(String id) {
        Entry<T> entry = entries.get(id);
        if (entry != null) {
            remove(id, entry);
        }
    }

    private void remove(String id, Entry<T> entry) {
        if (entries.remove(id, entry) && entry.value.isDone()) {
            release(entry);
        }
    }

    /** Counts an entry's weight out exactly once, whichever of a removal and its own load sees it gone first. */
    private void release(Entry<T> entry) {
        if (entry.released.compareAndSet(false, true)) {
            bytes.addAndGet(-entry.weight);
        }
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes.get();
    }
}
