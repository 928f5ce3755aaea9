using System.Runtime.InteropServices;

// Blittable mirrors of the structs in whisper.h 1.9.1. They are passed by value to whisper.cpp, so every
// size and offset must equal the C ones exactly: WhisperAbi.Layout lists the fields, a test compares them with
// a C program compiled against the built whisper.h, and WhisperAbi.CheckDefaults reads native defaults through
// them at load. Field names keep the C spelling on purpose. C bool is byte, pointers and callbacks are nint,
// size_t is nuint, C enums are int.

namespace Cast2md.Whisper.Native;

/// <summary>enum whisper_sampling_strategy</summary>
internal enum WhisperSamplingStrategy
{
    /// <summary>WHISPER_SAMPLING_GREEDY</summary>
    Greedy = 0,

    /// <summary>WHISPER_SAMPLING_BEAM_SEARCH</summary>
    BeamSearch = 1,
}

/// <summary>enum ggml_log_level (ggml.h)</summary>
internal enum GgmlLogLevel
{
    None = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,

    /// <summary>GGML_LOG_LEVEL_CONT: continues the previous line.</summary>
    Cont = 5,
}

/// <summary>typedef struct whisper_aheads (whisper.h 1.9.1)</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperAheads
{
    public nuint n_heads;                 // size_t n_heads;
    public nint heads;                    // const whisper_ahead * heads;
}

/// <summary>struct whisper_context_params (whisper.h 1.9.1)</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperContextParams
{
    public byte use_gpu;                  // bool  use_gpu;
    public byte flash_attn;               // bool  flash_attn;
    public int gpu_device;                // int   gpu_device;  // CUDA device
    public byte dtw_token_timestamps;     // bool dtw_token_timestamps;
    public int dtw_aheads_preset;         // enum whisper_alignment_heads_preset dtw_aheads_preset;
    public int dtw_n_top;                 // int dtw_n_top;
    public WhisperAheads dtw_aheads;      // struct whisper_aheads dtw_aheads;
    public nuint dtw_mem_size;            // size_t dtw_mem_size; // TODO: remove
}

/// <summary>typedef struct whisper_vad_params (whisper.h 1.9.1)</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperVadParams
{
    public float threshold;               // float threshold;
    public int min_speech_duration_ms;    // int   min_speech_duration_ms;
    public int min_silence_duration_ms;   // int   min_silence_duration_ms;
    public float max_speech_duration_s;   // float max_speech_duration_s;
    public int speech_pad_ms;             // int   speech_pad_ms;
    public float samples_overlap;         // float samples_overlap;
}

/// <summary>The anonymous <c>struct { ... } greedy;</c> inside whisper_full_params (whisper.h 1.9.1).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperGreedyParams
{
    public int best_of;                   // int best_of;
}

/// <summary>The anonymous <c>struct { ... } beam_search;</c> inside whisper_full_params (whisper.h 1.9.1).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperBeamSearchParams
{
    public int beam_size;                 // int beam_size;
    public float patience;                // float patience; // TODO: not implemented
}

/// <summary>struct whisper_full_params (whisper.h 1.9.1; body unchanged from 1.8.1 to 1.9.3).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WhisperFullParams
{
    public WhisperSamplingStrategy strategy;          // enum whisper_sampling_strategy strategy;

    public int n_threads;                             // int n_threads;
    public int n_max_text_ctx;                        // int n_max_text_ctx;
    public int offset_ms;                             // int offset_ms;
    public int duration_ms;                           // int duration_ms;

    public byte translate;                            // bool translate;
    public byte no_context;                           // bool no_context;
    public byte no_timestamps;                        // bool no_timestamps;
    public byte single_segment;                       // bool single_segment;
    public byte print_special;                        // bool print_special;
    public byte print_progress;                       // bool print_progress;
    public byte print_realtime;                       // bool print_realtime;
    public byte print_timestamps;                     // bool print_timestamps;

    public byte token_timestamps;                     // bool  token_timestamps;
    public float thold_pt;                            // float thold_pt;
    public float thold_ptsum;                         // float thold_ptsum;
    public int max_len;                               // int   max_len;
    public byte split_on_word;                        // bool  split_on_word;
    public int max_tokens;                            // int   max_tokens;

    public byte debug_mode;                           // bool debug_mode;
    public int audio_ctx;                             // int  audio_ctx;

    public byte tdrz_enable;                          // bool tdrz_enable;

    public nint suppress_regex;                       // const char * suppress_regex;

    public nint initial_prompt;                       // const char * initial_prompt;
    public byte carry_initial_prompt;                 // bool carry_initial_prompt; (inserted in 1.8.1)
    public nint prompt_tokens;                        // const whisper_token * prompt_tokens;
    public int prompt_n_tokens;                       // int prompt_n_tokens;

    public nint language;                             // const char * language;
    public byte detect_language;                      // bool detect_language;

    public byte suppress_blank;                       // bool suppress_blank;
    public byte suppress_nst;                         // bool suppress_nst;

    public float temperature;                         // float temperature;
    public float max_initial_ts;                      // float max_initial_ts;
    public float length_penalty;                      // float length_penalty;

    public float temperature_inc;                     // float temperature_inc;
    public float entropy_thold;                       // float entropy_thold;
    public float logprob_thold;                       // float logprob_thold;
    public float no_speech_thold;                     // float no_speech_thold;

    public WhisperGreedyParams greedy;                // struct { int best_of; } greedy;
    public WhisperBeamSearchParams beam_search;       // struct { int beam_size; float patience; } beam_search;

    public nint new_segment_callback;                 // whisper_new_segment_callback new_segment_callback;
    public nint new_segment_callback_user_data;       // void * new_segment_callback_user_data;

    public nint progress_callback;                    // whisper_progress_callback progress_callback;
    public nint progress_callback_user_data;          // void * progress_callback_user_data;

    public nint encoder_begin_callback;               // whisper_encoder_begin_callback encoder_begin_callback;
    public nint encoder_begin_callback_user_data;     // void * encoder_begin_callback_user_data;

    public nint abort_callback;                       // ggml_abort_callback abort_callback;
    public nint abort_callback_user_data;             // void * abort_callback_user_data;

    public nint logits_filter_callback;               // whisper_logits_filter_callback logits_filter_callback;
    public nint logits_filter_callback_user_data;     // void * logits_filter_callback_user_data;

    public nint grammar_rules;                        // const whisper_grammar_element ** grammar_rules;
    public nuint n_grammar_rules;                     // size_t n_grammar_rules;
    public nuint i_start_rule;                        // size_t i_start_rule;
    public float grammar_penalty;                     // float  grammar_penalty;

    public byte vad;                                  // bool         vad;
    public nint vad_model_path;                       // const char * vad_model_path;

    public WhisperVadParams vad_params;               // whisper_vad_params vad_params;
}
