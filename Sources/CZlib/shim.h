// zlib for Swift: raw DEFLATE (ZIP entries) and CRC-32.
#include <zlib.h>
