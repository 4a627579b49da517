// Types for popular-english-words (English Wikipedia word frequencies), which ships none.
declare module 'popular-english-words' {
  export const words: { getMostPopular(count: number): string[] };
}
