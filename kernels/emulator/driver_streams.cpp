// Streams, events and graphs. The device runs one thing at a time, in the order it is queued,
// which is one of the orders a real GPU may choose; so queued work runs at once, events are
// complete when recorded, and waiting costs nothing. Stream capture records work instead of
// running it, and a graph launch runs the recording.
#include "driver.h"

#include <stdio.h>
#include <chrono>

struct Stream {
    bool capturing = false;
    bool invalidated = false;
    int mode = CU_STREAM_CAPTURE_MODE_GLOBAL;
    std::vector<driver::Work> recording;
};

struct Event {
    bool recorded = false;
    std::chrono::steady_clock::time_point time;
};

struct Graph {
    std::vector<driver::Work> nodes;
};

struct GraphExec {
    std::vector<driver::Work> nodes;
};

namespace driver {
namespace {

CUresult pending = CUDA_SUCCESS;
std::string report;

bool legacy(CUstream stream) { return stream == nullptr || stream == CU_STREAM_LEGACY; }

// Runs work now; an error is kept for the next synchronisation, and shown at once on stderr.
void run(const Work& work) {
    std::string failure;
    CUresult status = work(failure);
    if (status == CUDA_SUCCESS) return;
    fprintf(stderr, "emulated CUDA device: %s\n", failure.c_str());
    if (pending == CUDA_SUCCESS) {
        pending = status;
        report = failure;
    }
}

}  // namespace

bool capturing() {
    for (Stream* stream : live<Stream>()) {
        if (stream->capturing) return true;
    }
    return false;
}

bool strict_capture() {
    for (Stream* stream : live<Stream>()) {
        if (stream->capturing && stream->mode != CU_STREAM_CAPTURE_MODE_RELAXED) return true;
    }
    return false;
}

CUresult break_captures(CUresult error) {
    for (Stream* stream : live<Stream>()) {
        if (stream->capturing) stream->invalidated = true;
    }
    return error;
}

CUresult take_pending_error() {
    CUresult status = pending;
    pending = CUDA_SUCCESS;
    return status;
}

std::string& last_report() { return report; }

CUresult enqueue(CUstream stream, Work work) {
    if (legacy(stream)) {
        // The legacy default stream waits for every blocking stream: for one being recorded,
        // that is an implicit synchronisation, which invalidates the recording.
        if (capturing()) return break_captures(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT);
    } else if (stream != CU_STREAM_PER_THREAD) {
        if (!valid(stream)) return CUDA_ERROR_INVALID_HANDLE;
        if (stream->capturing) {
            if (stream->invalidated) return CUDA_ERROR_STREAM_CAPTURE_INVALIDATED;
            stream->recording.push_back(std::move(work));
            return CUDA_SUCCESS;
        }
    }
    run(work);
    return CUDA_SUCCESS;
}

}  // namespace driver

using namespace driver;

// ---- streams ----

API CUresult cuStreamCreate(CUstream* stream, unsigned int) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (stream == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *stream = new Stream();
    live<Stream>().insert(*stream);
    return CUDA_SUCCESS;
}

API CUresult cuStreamDestroy_v2(CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(stream)) return CUDA_ERROR_INVALID_HANDLE;
    live<Stream>().erase(stream);
    delete stream;
    return CUDA_SUCCESS;
}

static CUresult wait_for(CUstream stream) {
    if (CUresult status = ready()) return status;
    if (!legacy(stream) && stream != CU_STREAM_PER_THREAD && !valid(stream)) return CUDA_ERROR_INVALID_HANDLE;
    bool recording = legacy(stream) ? capturing() : stream != CU_STREAM_PER_THREAD && stream->capturing;
    if (recording) return break_captures(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    return take_pending_error();
}

API CUresult cuStreamSynchronize(CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    return wait_for(stream);
}

API CUresult cuStreamQuery(CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    return wait_for(stream);
}

API CUresult cuCtxSynchronize() {
    std::lock_guard<std::mutex> guard(lock);
    return wait_for(nullptr);
}

API CUresult cuStreamWaitEvent(CUstream stream, CUevent event, unsigned int) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(event)) return CUDA_ERROR_INVALID_HANDLE;
    return enqueue(stream, [](std::string&) { return CUDA_SUCCESS; });
}

// ---- stream capture ----

API CUresult cuStreamBeginCapture_v2(CUstream stream, int mode) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    // The legacy default stream cannot be captured (CUDA Programming Guide, "Stream Capture").
    if (legacy(stream) || stream == CU_STREAM_PER_THREAD) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    if (!valid(stream)) return CUDA_ERROR_INVALID_HANDLE;
    if (mode < CU_STREAM_CAPTURE_MODE_GLOBAL || mode > CU_STREAM_CAPTURE_MODE_RELAXED) return CUDA_ERROR_INVALID_VALUE;
    if (stream->capturing) return CUDA_ERROR_ILLEGAL_STATE;
    stream->capturing = true;
    stream->invalidated = false;
    stream->mode = mode;
    stream->recording.clear();
    return CUDA_SUCCESS;
}

API CUresult cuStreamEndCapture(CUstream stream, CUgraph* graph) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (graph == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (legacy(stream) || stream == CU_STREAM_PER_THREAD || !valid(stream)) return CUDA_ERROR_INVALID_HANDLE;
    if (!stream->capturing) return CUDA_ERROR_ILLEGAL_STATE;
    stream->capturing = false;
    *graph = nullptr;
    if (stream->invalidated) return CUDA_ERROR_STREAM_CAPTURE_INVALIDATED;
    *graph = new Graph{std::move(stream->recording)};
    live<Graph>().insert(*graph);
    return CUDA_SUCCESS;
}

API CUresult cuStreamIsCapturing(CUstream stream, int* status) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult error = ready()) return error;
    if (status == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (legacy(stream) || stream == CU_STREAM_PER_THREAD) {
        *status = CU_STREAM_CAPTURE_STATUS_NONE;
        return CUDA_SUCCESS;
    }
    if (!valid(stream)) return CUDA_ERROR_INVALID_HANDLE;
    *status = !stream->capturing ? CU_STREAM_CAPTURE_STATUS_NONE
            : stream->invalidated ? CU_STREAM_CAPTURE_STATUS_INVALIDATED : CU_STREAM_CAPTURE_STATUS_ACTIVE;
    return CUDA_SUCCESS;
}

// ---- graphs ----

API CUresult cuGraphInstantiateWithFlags(CUgraphExec* exec, CUgraph graph, unsigned long long) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (exec == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (!valid(graph)) return CUDA_ERROR_INVALID_HANDLE;
    *exec = new GraphExec{graph->nodes};
    live<GraphExec>().insert(*exec);
    return CUDA_SUCCESS;
}

API CUresult cuGraphLaunch(CUgraphExec exec, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(exec)) return CUDA_ERROR_INVALID_HANDLE;
    std::vector<Work> nodes = exec->nodes;
    return enqueue(stream, [nodes](std::string& failure) {
        for (const Work& node : nodes) {
            if (CUresult status = node(failure)) return status;
        }
        return CUDA_SUCCESS;
    });
}

API CUresult cuGraphDestroy(CUgraph graph) {
    std::lock_guard<std::mutex> guard(lock);
    if (!valid(graph)) return CUDA_ERROR_INVALID_HANDLE;
    live<Graph>().erase(graph);
    delete graph;
    return CUDA_SUCCESS;
}

API CUresult cuGraphExecDestroy(CUgraphExec exec) {
    std::lock_guard<std::mutex> guard(lock);
    if (!valid(exec)) return CUDA_ERROR_INVALID_HANDLE;
    live<GraphExec>().erase(exec);
    delete exec;
    return CUDA_SUCCESS;
}

// ---- events ----

API CUresult cuEventCreate(CUevent* event, unsigned int) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (event == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *event = new Event();
    live<Event>().insert(*event);
    return CUDA_SUCCESS;
}

API CUresult cuEventDestroy_v2(CUevent event) {
    std::lock_guard<std::mutex> guard(lock);
    if (!valid(event)) return CUDA_ERROR_INVALID_HANDLE;
    live<Event>().erase(event);
    delete event;
    return CUDA_SUCCESS;
}

API CUresult cuEventRecord(CUevent event, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(event)) return CUDA_ERROR_INVALID_HANDLE;
    // Recorded as the work queued before it is done, which is at once; a recording has no
    // event nodes in the emulator.
    if (!legacy(stream) && stream != CU_STREAM_PER_THREAD && valid(stream) && stream->capturing) return CUDA_ERROR_NOT_SUPPORTED;
    return enqueue(stream, [event](std::string&) {
        event->recorded = true;
        event->time = std::chrono::steady_clock::now();
        return CUDA_SUCCESS;
    });
}

API CUresult cuEventQuery(CUevent event) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    return valid(event) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

API CUresult cuEventSynchronize(CUevent event) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(event)) return CUDA_ERROR_INVALID_HANDLE;
    return take_pending_error();
}

API CUresult cuEventElapsedTime(float* milliseconds, CUevent start, CUevent end) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (milliseconds == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (!valid(start) || !valid(end)) return CUDA_ERROR_INVALID_HANDLE;
    if (!start->recorded || !end->recorded) return CUDA_ERROR_INVALID_HANDLE;
    *milliseconds = std::chrono::duration<float, std::milli>(end->time - start->time).count();
    return CUDA_SUCCESS;
}
