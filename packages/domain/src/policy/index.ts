export { type SpendWindow, type Spend, type BudgetCheck, counts, spentIn, checkBudget } from './spend-windows';
export * from './policy-codecs';
