// The vader-sentiment package ships no types; this is the part the default text encoder calls.
declare module 'vader-sentiment' {
  interface PolarityScores {
    neg: number
    neu: number
    pos: number
    compound: number
  }
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): PolarityScores } }
  export default vader
}
