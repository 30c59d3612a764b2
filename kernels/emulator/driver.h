// What the parts of the emulated driver share: one lock (every entry point holds it, so the
// driver's state and the device are used by one host thread at a time), the checks at the start
// of a call, work queued on streams, and the errors that asynchronous work leaves behind.
#pragma once

#include "driver_types.h"

#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#define API extern "C" __attribute__((visibility("default")))

namespace driver {

extern std::mutex lock;

// CUDA_SUCCESS once cuInit has run and this host thread has a current context; else the
// driver's answer (CUDA_ERROR_NOT_INITIALIZED, CUDA_ERROR_INVALID_CONTEXT).
CUresult ready();

// The live handles of one kind: a call given another (destroyed, never made) answers
// CUDA_ERROR_INVALID_HANDLE, as the real driver does.
template <class T>
std::set<T*>& live() {
    static std::set<T*> handles;
    return handles;
}

template <class T>
bool valid(T* handle) {
    return handle != nullptr && live<T>().count(handle) > 0;
}

// A unit of work on a stream: a kernel launch, a copy or a memset. It runs at once, or joins the
// stream's recording during a capture. Its error ("report") says which kernel failed and where.
using Work = std::function<CUresult(std::string& report)>;

// Queues work on a stream (0, CU_STREAM_LEGACY, CU_STREAM_PER_THREAD or one of cuStreamCreate).
// Streams run in order, and the device runs one thing at a time, so work runs when it is
// queued; its error is kept and returned by the next call that waits for the device, as the
// real driver reports a kernel's failure at the next synchronisation.
CUresult enqueue(CUstream stream, Work work);

// Called by the operations that wait for the device (synchronous copies, cuStreamSynchronize):
// the error of earlier work, once, or CUDA_SUCCESS. The real driver keeps such an error for the
// rest of the context's life; the emulator forgets it once reported, so that one failing test
// does not fail the tests after it.
CUresult take_pending_error();
// The report of the last failure (of work, or of loading a module), for cuGetErrorString.
std::string& last_report();

// Whether any stream is recording now; and the answer to a call that would wait for the device
// during a recording: every recording is invalidated, and the call fails with `error`
// (CUDA Programming Guide, "Prohibited and Unhandled Operations" of stream capture).
bool capturing();
CUresult break_captures(CUresult error);
// Whether a capture in the global or thread-local mode is in progress: those forbid
// "potentially unsafe" calls such as cuMemAlloc, which the relaxed mode allows.
bool strict_capture();

}  // namespace driver
