// ChatWidgetSettings and ChatBotSettings: the website widget's look and forms, and the topic's bot scripts.
import { ChatWidgetSize, WidgetRequiredFields, WidgetTheme } from '../domain/enums.ts';
import type { BotSettings, WidgetSettings } from '../domain/types.ts';
import { enumName, formatFlags } from '../lib/dotnet-flags.ts';
import { Bool, Enum, Flags, Int, pick, Plain, refId, Str, type WireOf } from './kit.ts';
import { KbCategorySchema, presentKbCategory } from './list-items.carrier.ts';
import type { NamedItem } from '../domain/types.ts';

const color = () => Str(16);
export const WidgetSettingsSchema = Plain('ChatWidgetSettings', {
  AutoFaqEnabled: Bool(),
  AutoFaqCategory: KbCategorySchema,
  PreFormEnabled: Bool(),
  PreFormMessage: Str(1024),
  RequiredFields: Flags('WidgetRequiredFields', WidgetRequiredFields),
  PostFormEnabled: Bool(),
  PostFormHeader: Str(255),
  PostFormMessage: Str(1024),
  PostTranscriptEnabled: Bool(),
  LanguageIsoCode: Str(63),
  Size: Enum('ChatWidgetSize', ChatWidgetSize),
  Theme: Enum('WidgetTheme', WidgetTheme),
  Color: color(),
  BadgeColor: color(),
  BadgeTextColor: color(),
  CustMsgColor: color(),
  CustMsgTextColor: color(),
  AgentMsgColor: color(),
  AgentMsgTextColor: color(),
  ButtonColor: color(),
  ButtonTextColor: color(),
  Font: Str(64),
  FontSize: Str(16),
  LogoEnabled: Bool(),
  LogoBlobId: Int(),
  LogoName: Str(255),
  ShowAgentPhoto: Bool(),
  WelcomeTitle: Str(255),
  WelcomeMessage: Str(255),
  OfflineHeader: Str(255),
  OfflineMessage: Str(1024),
  OfflineFields: Flags('WidgetRequiredFields', WidgetRequiredFields),
  UseAgentFirstname: Bool(),
});

export const BotSettingsSchema = Plain('ChatBotSettings', {
  BotName: Str(80),
  BotRegisterScriptId: Int(),
  BotSessionCreatedScriptId: Int(),
  BotSessionChangedScriptId: Int(),
  BotMessageReceivedScriptId: Int(),
});

export const presentWidget = (w: WidgetSettings, faqCategory: NamedItem | undefined) => ({
  AutoFaqEnabled: w.autoFaqEnabled,
  AutoFaqCategory: presentKbCategory(faqCategory),
  PreFormEnabled: w.preFormEnabled,
  PreFormMessage: w.preFormMessage,
  RequiredFields: formatFlags(w.requiredFields, WidgetRequiredFields),
  PostFormEnabled: w.postFormEnabled,
  PostFormHeader: w.postFormHeader,
  PostFormMessage: w.postFormMessage,
  PostTranscriptEnabled: w.postTranscriptEnabled,
  LanguageIsoCode: w.languageIsoCode,
  Size: enumName(w.size, ChatWidgetSize),
  Theme: enumName(w.theme, WidgetTheme),
  Color: w.color,
  BadgeColor: w.badgeColor,
  BadgeTextColor: w.badgeTextColor,
  CustMsgColor: w.custMsgColor,
  CustMsgTextColor: w.custMsgTextColor,
  AgentMsgColor: w.agentMsgColor,
  AgentMsgTextColor: w.agentMsgTextColor,
  ButtonColor: w.buttonColor,
  ButtonTextColor: w.buttonTextColor,
  Font: w.font,
  FontSize: w.fontSize,
  LogoEnabled: w.logoEnabled,
  LogoBlobId: w.logoBlobId,
  LogoName: w.logoName,
  ShowAgentPhoto: w.showAgentPhoto,
  WelcomeTitle: w.welcomeTitle,
  WelcomeMessage: w.welcomeMessage,
  OfflineHeader: w.offlineHeader,
  OfflineMessage: w.offlineMessage,
  OfflineFields: formatFlags(w.offlineFields, WidgetRequiredFields),
  UseAgentFirstname: w.useAgentFirstname,
});

export const presentBot = (b: BotSettings) => ({
  BotName: b.botName,
  BotRegisterScriptId: b.botRegisterScriptId,
  BotSessionCreatedScriptId: b.botSessionCreatedScriptId,
  BotSessionChangedScriptId: b.botSessionChangedScriptId,
  BotMessageReceivedScriptId: b.botMessageReceivedScriptId,
});

export function widgetFromWire(w: WireOf<typeof WidgetSettingsSchema> | null | undefined, base: WidgetSettings): WidgetSettings {
  if (!w) return base;
  return {
    autoFaqEnabled: pick(w.AutoFaqEnabled, base.autoFaqEnabled),
    autoFaqCategoryId: w.AutoFaqCategory === undefined ? base.autoFaqCategoryId : refId(w.AutoFaqCategory, 'KbCategoryId'),
    preFormEnabled: pick(w.PreFormEnabled, base.preFormEnabled),
    preFormMessage: pick(w.PreFormMessage, base.preFormMessage),
    requiredFields: pick(w.RequiredFields, base.requiredFields),
    postFormEnabled: pick(w.PostFormEnabled, base.postFormEnabled),
    postFormHeader: pick(w.PostFormHeader, base.postFormHeader),
    postFormMessage: pick(w.PostFormMessage, base.postFormMessage),
    postTranscriptEnabled: pick(w.PostTranscriptEnabled, base.postTranscriptEnabled),
    languageIsoCode: pick(w.LanguageIsoCode, base.languageIsoCode),
    size: pick(w.Size, base.size),
    theme: pick(w.Theme, base.theme),
    color: pick(w.Color, base.color),
    badgeColor: pick(w.BadgeColor, base.badgeColor),
    badgeTextColor: pick(w.BadgeTextColor, base.badgeTextColor),
    custMsgColor: pick(w.CustMsgColor, base.custMsgColor),
    custMsgTextColor: pick(w.CustMsgTextColor, base.custMsgTextColor),
    agentMsgColor: pick(w.AgentMsgColor, base.agentMsgColor),
    agentMsgTextColor: pick(w.AgentMsgTextColor, base.agentMsgTextColor),
    buttonColor: pick(w.ButtonColor, base.buttonColor),
    buttonTextColor: pick(w.ButtonTextColor, base.buttonTextColor),
    font: pick(w.Font, base.font),
    fontSize: pick(w.FontSize, base.fontSize),
    logoEnabled: pick(w.LogoEnabled, base.logoEnabled),
    logoBlobId: pick(w.LogoBlobId, base.logoBlobId),
    logoName: pick(w.LogoName, base.logoName),
    showAgentPhoto: pick(w.ShowAgentPhoto, base.showAgentPhoto),
    welcomeTitle: pick(w.WelcomeTitle, base.welcomeTitle),
    welcomeMessage: pick(w.WelcomeMessage, base.welcomeMessage),
    offlineHeader: pick(w.OfflineHeader, base.offlineHeader),
    offlineMessage: pick(w.OfflineMessage, base.offlineMessage),
    offlineFields: pick(w.OfflineFields, base.offlineFields),
    useAgentFirstname: pick(w.UseAgentFirstname, base.useAgentFirstname),
  };
}

export function botFromWire(b: WireOf<typeof BotSettingsSchema> | null | undefined, base: BotSettings): BotSettings {
  if (!b) return base;
  return {
    botName: pick(b.BotName, base.botName),
    botRegisterScriptId: pick(b.BotRegisterScriptId, base.botRegisterScriptId),
    botSessionCreatedScriptId: pick(b.BotSessionCreatedScriptId, base.botSessionCreatedScriptId),
    botSessionChangedScriptId: pick(b.BotSessionChangedScriptId, base.botSessionChangedScriptId),
    botMessageReceivedScriptId: pick(b.BotMessageReceivedScriptId, base.botMessageReceivedScriptId),
  };
}
