/* ORTL_API marks what the ort_lite shared library exports. Everything else in the library is
 * compiled with -fvisibility=hidden (and kept local by cmake/ort_lite.map), so the exported
 * symbol list is exactly the public C and C++ API (checked by tests/embed/check_symbols.sh). */
#ifndef ORT_LITE_EXPORT_H_
#define ORT_LITE_EXPORT_H_

#if defined(_WIN32)
#if defined(ORTL_BUILDING_LIBRARY)
#define ORTL_API __declspec(dllexport)
#elif defined(ORTL_STATIC)
#define ORTL_API
#else
#define ORTL_API __declspec(dllimport)
#endif
#else
#define ORTL_API __attribute__((visibility("default")))
#endif

#endif /* ORT_LITE_EXPORT_H_ */
