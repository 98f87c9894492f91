// libxml2 for Swift. Debian's headers pull in the system ICU, whose enums clash with the ICU that
// Foundation carries; Gloss needs no ICU from libxml2, so it is hidden here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>
#include <libxml/relaxng.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function pointer, which Swift 6 refuses as not concurrency-safe.
static inline void cxml_free(void *pointer) { xmlFree(pointer); }
