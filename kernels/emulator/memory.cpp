// Each allocation gets its own pages, and ends where its last page ends: the page after it is
// mapped without access, so a kernel that reads or writes even one float past the end faults on
// that access (device.cpp turns the fault into a report). The page before it is inaccessible too,
// but the unused start of the first page is not, so an access a little before the start goes
// unnoticed. The GPU's allocations are 256-byte aligned; these are 4-byte aligned, which the
// kernels (float and 8-byte loads on x86) do not notice.
#include "memory.h"
#include "driver_types.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <map>

namespace memory {
namespace {

struct Allocation {
    size_t bytes;
    char* mapping;
    size_t mapped;
};

// By start address; an address belongs to the last allocation starting at or before it.
std::map<uintptr_t, Allocation> allocations;
size_t in_use = 0;
// What the emulated device reports as its memory, and where allocation fails for want of it.
constexpr size_t CAPACITY = 8ull << 30;

size_t page() {
    static const size_t size = (size_t) sysconf(_SC_PAGESIZE);
    return size;
}

size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

int allocate(size_t bytes, uintptr_t* address) {
    if (bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    if (in_use + bytes > CAPACITY) return CUDA_ERROR_OUT_OF_MEMORY;
    size_t data = round_up(bytes, page()), mapped = data + 2 * page();
    void* mapping = mmap(nullptr, mapped, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) return CUDA_ERROR_OUT_OF_MEMORY;
    char* first = (char*) mapping + page();
    if (mprotect(first, data, PROT_READ | PROT_WRITE) != 0) {
        munmap(mapping, mapped);
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    char* start = first + data - round_up(bytes, 4);
    // A quiet NaN in every float: an element a kernel forgot to write shows up as NaN.
    const unsigned int nan_bits = 0x7fc00000u;
    for (size_t i = 0; i + 4 <= bytes; i += 4) memcpy(start + i, &nan_bits, 4);
    allocations[(uintptr_t) start] = Allocation{bytes, (char*) mapping, mapped};
    in_use += bytes;
    *address = (uintptr_t) start;
    return CUDA_SUCCESS;
}

int release(uintptr_t address) {
    auto it = allocations.find(address);
    if (it == allocations.end()) return CUDA_ERROR_INVALID_VALUE;
    munmap(it->second.mapping, it->second.mapped);
    in_use -= it->second.bytes;
    allocations.erase(it);
    return CUDA_SUCCESS;
}

bool inside(uintptr_t address, size_t bytes) {
    auto it = allocations.upper_bound(address);
    if (it == allocations.begin()) return false;
    --it;
    return address + bytes <= it->first + it->second.bytes && address + bytes >= address;
}

size_t used() { return in_use; }
size_t capacity() { return CAPACITY; }

void describe(uintptr_t address, char* out, size_t size) {
    auto after = allocations.upper_bound(address);
    if (after != allocations.begin()) {
        auto at = std::prev(after);
        uintptr_t end = at->first + at->second.bytes;
        if (address >= end && address < (uintptr_t) at->second.mapping + at->second.mapped) {
            snprintf(out, size, "%zu bytes past the end of the %zu-byte allocation at 0x%lx", (size_t) (address - end),
                     at->second.bytes, (unsigned long) at->first);
            return;
        }
    }
    if (after != allocations.end() && address >= (uintptr_t) after->second.mapping) {
        snprintf(out, size, "%zu bytes before the %zu-byte allocation at 0x%lx", (size_t) (after->first - address),
                 after->second.bytes, (unsigned long) after->first);
        return;
    }
    snprintf(out, size, "outside every allocation");
}

}  // namespace memory
